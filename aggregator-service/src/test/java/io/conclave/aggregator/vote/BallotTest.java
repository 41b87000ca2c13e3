package io.conclave.aggregator.vote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BallotTest {

    @Test
    void theMostFrequentNormalisedAnswerLeadsInTheWordsOfItsFirstSupporter() {
        Ballot ballot = new Ballot(List.of(vote("a1", "41"), vote("a2", "**42**"), vote("a3", "42.0"),
                vote("a4", "43")));
        Ballot.Leader leader = ballot.leader().orElseThrow();
        assertEquals("42", leader.key());
        assertEquals(2, leader.votes());
        assertEquals("**42**", leader.answer());
        assertFalse(leader.tied());
        assertEquals(2, ballot.topVotes());
    }

    @Test
    void aTieGoesToTheAnswerWhoseFirstSupporterComesFirstInPlanOrder() {
        Ballot ballot = new Ballot(List.of(vote("a1", "7"), vote("a2", "8"), vote("a3", "8"), vote("a4", "7")));
        Ballot.Leader leader = ballot.leader().orElseThrow();
        assertEquals("7", leader.answer());
        assertTrue(leader.tied());
    }

    @Test
    void emptyAnswersDoNotVote() {
        assertTrue(new Ballot(List.of(vote("a1", " "), vote("a2", null))).leader().isEmpty());
        assertEquals("9", new Ballot(List.of(vote("a1", ""), vote("a2", "9"))).leader().orElseThrow().answer());
    }

    private static Ballot.Vote vote(String agent, String answer) {
        return new Ballot.Vote(agent, answer);
    }
}
