package com.airesumereview.db.internal;

/**
 * What is known of the current primary's history, for read-your-writes across a failover: a position written on an
 * older timeline is in the current history only up to the point where the history left that timeline.
 */
public interface TimelineHistory {
    /** The current primary's timeline; 0 when unknown. */
    long currentTimeline();

    /**
     * An LSN up to which {@code timeline} is known to be part of the current primary's history (unsigned): all of it
     * for the current timeline, the last position a promoted standby was seen to have replayed for the timeline it
     * left, 0 when nothing is known (a position on that timeline cannot be shown to have survived).
     */
    long forkFloor(long timeline);
}
