package io.conclave.planner.plan;

import io.conclave.contracts.PlanningReport;
import java.util.List;

/**
 * What the planning call of a {@code decompose} request gave: the sub-questions to answer in parallel, or none
 * when the planner fell back to parallel roles ({@code report.fallback()} says why).
 */
public record Decomposition(List<String> subQuestions, PlanningReport report) {

    public Decomposition {
        subQuestions = subQuestions == null ? List.of() : List.copyOf(subQuestions);
    }

    public boolean fellBack() {
        return subQuestions.isEmpty();
    }
}
