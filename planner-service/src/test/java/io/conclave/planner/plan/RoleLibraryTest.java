package io.conclave.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The role library: documented roles first, all distinct, reused in order. */
class RoleLibraryTest {

    private final RoleLibrary library = new RoleLibrary();

    @Test
    void theFirstFourRolesAreTheDocumentedOnes() {
        List<Role> roles = library.contemplating(4);
        assertEquals(List.of("solver", "skeptic", "alternative", "verifier"), roles.stream().map(Role::name).toList());
        assertEquals(List.of(0.2, 0.8, 0.9, 0.3), roles.stream().map(Role::temperature).toList());
    }

    @Test
    void everyRoleIsDistinctAndAsksForAnAnswerLine() {
        List<Role> roles = library.contemplating(library.distinctRoles());
        assertTrue(roles.size() >= 8);
        assertEquals(roles.size(), roles.stream().map(Role::name).distinct().count());
        assertEquals(roles.size(), roles.stream().map(Role::systemPrompt).distinct().count());
        assertEquals(roles.size(), roles.stream().map(Role::temperature).distinct().count());
        roles.forEach(role -> assertTrue(role.systemPrompt().endsWith(
                "Finish with a last line of the form `Answer: <final answer>` that states your final answer alone."),
                role.name()));
    }

    @Test
    void rolesRepeatRoundRobin() {
        List<Role> roles = library.contemplating(2 * library.distinctRoles() + 1);
        for (int i = 0; i < roles.size(); i++) {
            assertEquals(roles.get(i % library.distinctRoles()), roles.get(i));
        }
    }

    @Test
    void singleAgentRolesDifferFromTheLibrary() {
        assertEquals("assistant", library.assistant().name());
        assertEquals("thinker", library.thinker().name());
        assertEquals("synthesizer", library.synthesizer().name());
        assertNotEquals(library.assistant().systemPrompt(), library.thinker().systemPrompt());
    }

    @Test
    void noAgentsIsNoPlan() {
        assertThrows(IllegalArgumentException.class, () -> library.contemplating(0));
    }
}
