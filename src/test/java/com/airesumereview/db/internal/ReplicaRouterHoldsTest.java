package com.airesumereview.db.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.ConsistencyLostException;
import org.junit.jupiter.api.Test;

/** Which server holds a consistency token's position across a failover (timeline 1 forked into 2 at or after 0x5000). */
class ReplicaRouterHoldsTest {
    private static final TimelineHistory FORKED_AFTER_5000 = new TimelineHistory() {
        @Override
        public long currentTimeline() {
            return 2;
        }

        @Override
        public long forkFloor(long timeline) {
            return timeline == 2 ? -1L : timeline == 1 ? 0x5000 : 0;
        }
    };

    @Test
    void aWriteOfTheOldTimelineBeforeTheForkIsHeldByTheNewHistory() {
        WalPosition beforeFork = new WalPosition(7, 1, 0x4000);
        assertThat(ReplicaRouter.holds(7, 2, 0x9000, beforeFork, FORKED_AFTER_5000)).isTrue();
        ReplicaRouter.requireOnPrimary(beforeFork, FORKED_AFTER_5000);
    }

    @Test
    void aWriteOfTheOldTimelinePastTheKnownForkIsRefusedHoweverFarTheLsnGrew() {
        WalPosition pastFork = new WalPosition(7, 1, 0x6000);
        assertThat(ReplicaRouter.holds(7, 2, 0x9000, pastFork, FORKED_AFTER_5000)).isFalse();
        assertThatThrownBy(() -> ReplicaRouter.requireOnPrimary(pastFork, FORKED_AFTER_5000))
                .isInstanceOf(ConsistencyLostException.class).hasMessageContaining("timeline 2");
    }

    @Test
    void aReplicaStillOnTheOldTimelineNeverServesAWriteOfTheNewOne() {
        WalPosition newWrite = new WalPosition(7, 2, 0x6000);
        assertThat(ReplicaRouter.holds(7, 1, 0x9000, newWrite, FORKED_AFTER_5000)).isFalse();
        assertThat(ReplicaRouter.holds(7, 2, 0x6000, newWrite, FORKED_AFTER_5000)).isTrue();
    }

    @Test
    void withoutHistoryAnOlderTimelineIsNeverShownToHoldAPosition() {
        assertThat(ReplicaRouter.holds(7, 2, 0x9000, new WalPosition(7, 1, 0x10), null)).isFalse();
        assertThat(ReplicaRouter.holds(7, 2, 0x9000, new WalPosition(7, 0, 0x10), null)).as("token without timeline").isTrue();
    }
}
