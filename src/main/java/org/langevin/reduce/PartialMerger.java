package org.langevin.reduce;

import java.util.ArrayList;
import java.util.List;

/**
 * Merges block partials in block order along one fixed binary tree, so that the bytes of the result
 * do not depend on how the block range was split (threads, GPU chunks, resumed segments, Spark
 * partitions).
 *
 * <p><b>The merge, defined.</b> For a run of {@code n} blocks, pad the block range to the next power
 * of two with empty blocks and build the complete binary tree whose node {@code (l, m)} covers blocks
 * {@code [m·2^l, (m+1)·2^l)}; every inner node is {@code Summary.combine(left child, right child)},
 * and a node whose right child lies wholly past the end equals its left child. The result is the
 * root. Equivalently: partials are pushed in block order; whenever the top two are siblings they are
 * replaced by their parent; at the end the remaining stack {@code N1, …, Nk} (the binary
 * decomposition of {@code [0, n)}, decreasing sizes) is folded from the right:
 * {@code N1 ⊕ (N2 ⊕ (… ⊕ Nk))}. Any contiguous piece may therefore pre-merge the complete aligned
 * groups inside it ({@link #nodes()}) and ship only those; the tree, hence every bit, is unchanged.
 * Pairwise merging also keeps the rounding error growth logarithmic in the number of blocks.
 *
 * <p>Not thread-safe: feed it from one thread.
 */
public final class PartialMerger {

    /** Canonical nodes of [start, next), decreasing sizes. */
    private final ArrayList<BlockPartial> stack = new ArrayList<>();
    /** First block this merger covers. */
    private final long start;
    /** Next block expected. */
    private long next;

    /** A merger of a whole run: partials must start at block 0. */
    public PartialMerger() {
        this(0);
    }

    /**
     * A merger of a piece of a run starting at {@code firstBlock} (only {@link #nodes()} is then
     * meaningful; {@link #finish()} requires {@code firstBlock == 0}).
     *
     * @param firstBlock first block of the piece, {@code >= 0}
     */
    public PartialMerger(long firstBlock) {
        if (firstBlock < 0) {
            throw new IllegalArgumentException("firstBlock must be >= 0, got " + firstBlock);
        }
        start = firstBlock;
        next = firstBlock;
    }

    /**
     * Adds the next partial in block order.
     *
     * @param p a partial whose first block is the end of the previous one (the merger's first block
     *          for the first call)
     */
    public void add(BlockPartial p) {
        if (p == null) {
            throw new IllegalArgumentException("partial must not be null");
        }
        if (p.firstBlock() != next) {
            throw new IllegalArgumentException("partials must be added in block order without gaps: "
                    + "expected one starting at block " + next + ", got " + p);
        }
        if (!stack.isEmpty()) {
            Summary s = stack.get(0).summaryShared();
            Summary t = p.summaryShared();
            if (s.dimension() != t.dimension() || s.windowed() != t.windowed()) {
                throw new IllegalArgumentException("partial layout differs from the first: " + p);
            }
        }
        next = p.endBlock();
        stack.add(p);
        while (stack.size() >= 2) {
            int k = stack.size();
            BlockPartial left = stack.get(k - 2);
            BlockPartial right = stack.get(k - 1);
            if (!left.isLeftSiblingOf(right)) {
                break;
            }
            stack.remove(k - 1);
            stack.set(k - 2, BlockPartial.parent(left, right));
        }
    }

    /**
     * Adds partials in block order.
     *
     * @param partials the partials, in block order
     */
    public void addAll(List<BlockPartial> partials) {
        for (BlockPartial p : partials) {
            add(p);
        }
    }

    /** @return one past the last block added */
    public long nextBlock() {
        return next;
    }

    /** @return the canonical nodes of the blocks added so far, in block order (a new list) */
    public List<BlockPartial> nodes() {
        return new ArrayList<>(stack);
    }

    /**
     * The merged statistics of blocks {@code [0, nextBlock())}, the root of the tree (class comment).
     * The merger can keep receiving partials afterwards.
     *
     * @return the merged summary (a new object)
     */
    public Summary finish() {
        if (start != 0) {
            throw new IllegalStateException("finish() needs a merger starting at block 0, this one starts at "
                    + start + "; ship nodes() to the merger of the whole run");
        }
        if (stack.isEmpty()) {
            throw new IllegalStateException("no partials were added");
        }
        Summary acc = stack.get(stack.size() - 1).summaryShared();
        for (int i = stack.size() - 2; i >= 0; i--) {
            acc = Summary.combine(stack.get(i).summaryShared(), acc);
        }
        return stack.size() == 1 ? acc.copy() : acc;
    }
}
