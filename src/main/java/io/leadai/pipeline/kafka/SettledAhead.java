package io.leadai.pipeline.kafka;

import java.util.Collections;
import java.util.Iterator;
import java.util.NavigableSet;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * A partition's committed offset and the records past it that already have their outcome (a result or a dead
 * letter) but could not be committed, because a record before them has none yet. They travel in the commit's
 * metadata, as offsets relative to the commit, for example {@code settled-ahead:2-5,9}: whoever reads the partition
 * again from the commit (after a rewind, a restart or a rebalance) skips them.
 *
 * <p>The metadata is kept under {@link #MAX_METADATA} characters (the broker's {@code offset.metadata.max.bytes} is
 * 4096 by default); offsets beyond that are left out, and those records are worked on again (at least once).
 * Metadata of another form is read as nothing settled.
 */
record SettledAhead(long offset, NavigableSet<Long> offsets, String metadata) {

    static final String PREFIX = "settled-ahead:";
    static final int MAX_METADATA = 2000;

    /** The commit at {@code offset} remembering {@code settled} past it, as much as the metadata holds. */
    static SettledAhead of(long offset, NavigableSet<Long> settled) {
        NavigableSet<Long> kept = new TreeSet<>();
        StringBuilder metadata = new StringBuilder(PREFIX);
        Iterator<Long> it = settled.tailSet(offset, false).iterator();
        Long first = it.hasNext() ? it.next() : null;
        while (first != null) {
            long last = first;
            Long following = null;
            while (it.hasNext()) {
                long candidate = it.next();
                if (candidate == last + 1) {
                    last = candidate;
                } else {
                    following = candidate;
                    break;
                }
            }
            String range = (first - offset) + (last == first ? "" : "-" + (last - offset));
            if (metadata.length() + range.length() + 1 > MAX_METADATA) {
                break;
            }
            if (metadata.length() > PREFIX.length()) {
                metadata.append(',');
            }
            metadata.append(range);
            for (long o = first; o <= last; o++) {
                kept.add(o);
            }
            first = following;
        }
        return new SettledAhead(offset, Collections.unmodifiableNavigableSet(kept),
                kept.isEmpty() ? "" : metadata.toString());
    }

    /** What a commit read back from Kafka says; nothing settled when its metadata is not of this form. */
    static SettledAhead read(OffsetAndMetadata committed) {
        NavigableSet<Long> offsets = new TreeSet<>();
        String metadata = committed.metadata();
        if (metadata != null && metadata.startsWith(PREFIX) && metadata.length() > PREFIX.length()) {
            try {
                for (String range : metadata.substring(PREFIX.length()).split(",")) {
                    int dash = range.indexOf('-');
                    long from = Long.parseLong(dash < 0 ? range : range.substring(0, dash));
                    long to = dash < 0 ? from : Long.parseLong(range.substring(dash + 1));
                    if (from < 1 || to < from || to - from > MAX_METADATA * 1000L) {
                        return new SettledAhead(committed.offset(), Collections.emptyNavigableSet(), metadata);
                    }
                    for (long delta = from; delta <= to; delta++) {
                        offsets.add(committed.offset() + delta);
                    }
                }
            } catch (NumberFormatException e) {
                return new SettledAhead(committed.offset(), Collections.emptyNavigableSet(), metadata);
            }
        }
        return new SettledAhead(committed.offset(), Collections.unmodifiableNavigableSet(offsets), metadata);
    }

    /** True when the record at {@code offset} has its outcome: the commit has passed it, or it is named here. */
    boolean covers(long offset) {
        return offset < this.offset || offsets.contains(offset);
    }

    OffsetAndMetadata offsetAndMetadata() {
        return new OffsetAndMetadata(offset, metadata);
    }
}
