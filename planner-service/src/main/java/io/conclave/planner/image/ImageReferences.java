package io.conclave.planner.image;

import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.ContentPart;
import io.conclave.contracts.RecordPosition;
import io.conclave.contracts.RequestSubmitted;
import io.conclave.contracts.SubtaskAssigned;
import io.conclave.contracts.SubtaskKind;
import io.conclave.planner.plan.PlannedRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a request's images in its one {@code conclave.requests} record: before planning, every {@code data:} image
 * part becomes an {@code image_ref} (its index among the request's data images); after planning, every agent
 * sub-task gets the request record's position, where the worker reads the images once. A sub-task record stays a
 * few kilobytes however large the images are; https image URLs are short and stay inline.
 */
public final class ImageReferences {

    private ImageReferences() {
    }

    /** The request with data images replaced by references, or the request itself when it has none. */
    public static RequestSubmitted withoutImageData(RequestSubmitted request) {
        if (request == null || request.messages() == null
                || request.messages().stream().allMatch(message -> message.parts() == null)) {
            return request;
        }
        int next = 0;
        List<ChatMessage> messages = new ArrayList<>(request.messages().size());
        for (ChatMessage message : request.messages()) {
            if (message.parts() == null) {
                messages.add(message);
                continue;
            }
            List<ContentPart> parts = new ArrayList<>(message.parts().size());
            for (ContentPart part : message.parts()) {
                if (isDataImage(part)) {
                    parts.add(new ContentPart(ContentPart.IMAGE_REF, null, null, part.detail(), next++));
                } else {
                    parts.add(part);
                }
            }
            messages.add(new ChatMessage(message.role(), message.content(), List.copyOf(parts)));
        }
        return new RequestSubmitted(request.correlationId(), request.eventId(), request.occurredAt(),
                request.schemaVersion(), request.tenantId(), request.model(), request.mode(), List.copyOf(messages),
                request.agents(), request.strategy(), request.deadlineMs(), request.quorum(), request.maxTokens(),
                request.temperature(), request.stream(), request.agentChoices(), request.watched());
    }

    /**
     * The plan with each agent sub-task that refers to images pointing to the request record.
     *
     * @throws IllegalArgumentException when sub-tasks refer to images but the record's position is unknown
     */
    public static PlannedRequest pointedTo(PlannedRequest planned, RecordPosition request) {
        List<SubtaskAssigned> subtasks = new ArrayList<>(planned.subtasks().size());
        for (SubtaskAssigned subtask : planned.subtasks()) {
            if (subtask.kind() != SubtaskKind.AGENT || !refersToImages(subtask.messages())) {
                subtasks.add(subtask);
                continue;
            }
            if (request == null) {
                throw new IllegalArgumentException("request " + subtask.correlationId() + " has images, but the"
                        + " position of its record is unknown, so no sub-task could point to them");
            }
            subtasks.add(new SubtaskAssigned(subtask.correlationId(), subtask.eventId(), subtask.occurredAt(),
                    subtask.schemaVersion(), subtask.subtaskId(), subtask.kind(), subtask.mode(), subtask.agent(),
                    subtask.messages(), subtask.notes(), subtask.finalReply(), subtask.deadline(), request,
                    subtask.watched()));
        }
        return new PlannedRequest(planned.plan(), subtasks, planned.planned());
    }

    private static boolean isDataImage(ContentPart part) {
        return ContentPart.IMAGE_URL.equals(part.type()) && part.imageUrl() != null
                && part.imageUrl().regionMatches(true, 0, "data:", 0, 5);
    }

    private static boolean refersToImages(List<ChatMessage> messages) {
        return messages != null && messages.stream()
                .filter(message -> message.parts() != null)
                .flatMap(message -> message.parts().stream())
                .anyMatch(part -> ContentPart.IMAGE_REF.equals(part.type()));
    }
}
