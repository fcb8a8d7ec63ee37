package org.langevin.reduce;

import java.io.Serializable;

/**
 * The statistics of one node of the fixed merge tree over blocks: the aligned group of
 * {@code 2^level} blocks {@code [index·2^level, (index+1)·2^level)} (level 0 is a single block, as
 * returned by {@link Reducer#reduceBlock}). Partials are what a distributed engine ships
 * (Java-serialisable) and merges with {@link PartialMerger}.
 *
 * <p>Immutable; thread-safe.
 */
public final class BlockPartial implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Tree level: the node covers 2^level blocks. */
    private final int level;
    /** Node index at its level. */
    private final long index;
    /** The statistics (never handed out without copying). */
    private final Summary summary;

    BlockPartial(int level, long index, Summary summary) {
        if (level < 0 || level > 50) {
            throw new IllegalArgumentException("level must be in [0, 50], got " + level);
        }
        if (index < 0 || index > (Long.MAX_VALUE >> level) - 1) {
            throw new IllegalArgumentException("index must be in [0, 2^(63-level)), got " + index);
        }
        this.level = level;
        this.index = index;
        this.summary = summary;
    }

    /** Parent node of two siblings: left = (l, 2m), right = (l, 2m+1). */
    static BlockPartial parent(BlockPartial left, BlockPartial right) {
        return new BlockPartial(left.level + 1, left.index >> 1, Summary.combine(left.summary, right.summary));
    }

    /** @return whether {@code right} is this node's right sibling */
    boolean isLeftSiblingOf(BlockPartial right) {
        return right.level == level && (index & 1) == 0 && right.index == index + 1;
    }

    /** @return the tree level; the node covers {@code 2^level} blocks */
    public int level() {
        return level;
    }

    /** @return the node's index at its level */
    public long index() {
        return index;
    }

    /** @return the first block covered */
    public long firstBlock() {
        return index << level;
    }

    /** @return one past the last block covered (blocks past the end of a run are empty) */
    public long endBlock() {
        return (index + 1) << level;
    }

    /** @return a copy of the statistics */
    public Summary summary() {
        return summary.copy();
    }

    /** The statistics without copying, for the merger (never mutated there). */
    Summary summaryShared() {
        return summary;
    }

    @Override
    public String toString() {
        return "BlockPartial[blocks " + firstBlock() + ".." + (endBlock() - 1) + ", particles "
                + summary.particles() + ", diverged " + summary.diverged() + "]";
    }
}
