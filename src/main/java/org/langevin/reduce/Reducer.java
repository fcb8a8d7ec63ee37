package org.langevin.reduce;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Entry points of the block reduction (docs/architecture.md): {@link #reduce} for a whole run on a fixed pool of
 * threads, and the pieces a distributed engine needs — {@link #reduceBlock} (one block),
 * {@link #reduceRange} (a contiguous piece, pre-merged along the fixed tree), {@link #merge} (the
 * partials of a whole run, in block order). The result is byte-identical for every thread count and
 * every split of the block range into contiguous pieces, because blocks are reduced in particle
 * order and merged along one fixed tree ({@link PartialMerger}).
 *
 * <p>Stateless; all methods are thread-safe (given thread-safe loss and observable functions and
 * particle arrays that do not change during the call).
 */
public final class Reducer {

    /** Largest chunk of blocks handed to one task: 2^6 = 64 blocks. */
    private static final int MAX_CHUNK_LEVEL = 6;
    /** Tasks in flight per thread, bounding the memory held by finished chunks. */
    private static final int TASKS_PER_THREAD = 4;

    private Reducer() {
    }

    /**
     * Reduces a whole run on a fixed-size pool of {@code threads} threads (created for this call and
     * shut down before it returns). Threads work on aligned groups of whole blocks.
     *
     * @param view the particles; its first block must be 0 (a whole run)
     * @param spec what to compute
     * @param threads number of threads, in {@code [1, 1024]}; does not change the result's bits
     * @return the reduction
     */
    public static Reduction reduce(ParticleView view, ReduceSpec spec, int threads) {
        checkArgs(view, spec);
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("threads must be in [1, 1024], got " + threads);
        }
        if (view.firstBlock() != 0) {
            throw new IllegalArgumentException("reduce needs a whole run (first block 0), got first block "
                    + view.firstBlock() + "; use reduceRange for a piece");
        }
        long blocks = view.blockCount();
        int level = 0;
        while (level < MAX_CHUNK_LEVEL && (blocks >> (level + 1)) >= (long) TASKS_PER_THREAD * threads) {
            level++;
        }
        long chunk = 1L << level;
        long chunks = (blocks + chunk - 1) / chunk;
        PartialMerger merger = new PartialMerger();
        if (threads == 1) {
            BlockReducer r = new BlockReducer(view, spec);
            for (long b = 0; b < blocks; b++) {
                merger.add(r.reduce(b));
            }
            return new Reduction(merger.finish());
        }
        ThreadLocal<BlockReducer> reducers = ThreadLocal.withInitial(() -> new BlockReducer(view, spec));
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads());
        try {
            ArrayDeque<Future<List<BlockPartial>>> inFlight = new ArrayDeque<>();
            long submitted = 0;
            long window = (long) TASKS_PER_THREAD * threads;
            for (long c = 0; c < chunks; c++) {
                while (submitted < chunks && submitted - c < window) {
                    long from = submitted * chunk;
                    long to = Math.min(blocks, from + chunk);
                    inFlight.add(pool.submit(() -> range(reducers.get(), from, to)));
                    submitted++;
                }
                merger.addAll(await(inFlight.poll()));
            }
        } finally {
            pool.shutdownNow();
        }
        return new Reduction(merger.finish());
    }

    /**
     * Reduces one block.
     *
     * @param view the particles
     * @param spec what to compute
     * @param blockIndex global block index, in
     *                   {@code [view.firstBlock(), view.firstBlock() + view.blockCount())}
     * @return the level-0 partial of that block
     */
    public static BlockPartial reduceBlock(ParticleView view, ReduceSpec spec, long blockIndex) {
        checkArgs(view, spec);
        return new BlockReducer(view, spec).reduce(blockIndex);
    }

    /**
     * Reduces the contiguous block range {@code [fromBlock, toBlock)} on the calling thread and
     * pre-merges it along the fixed tree: the result is the range's canonical aligned groups, in block
     * order, ready to ship to the merger of the whole run.
     *
     * @param view the particles
     * @param spec what to compute
     * @param fromBlock first global block, within the view
     * @param toBlock one past the last global block, within the view, {@code > fromBlock}
     * @return the canonical partials of the range (at most about 2·log2 of its length)
     */
    public static List<BlockPartial> reduceRange(ParticleView view, ReduceSpec spec, long fromBlock, long toBlock) {
        checkArgs(view, spec);
        long end = view.firstBlock() + view.blockCount();
        if (fromBlock < view.firstBlock() || toBlock > end || !(toBlock > fromBlock)) {
            throw new IllegalArgumentException("block range must satisfy " + view.firstBlock()
                    + " <= fromBlock < toBlock <= " + end + ", got [" + fromBlock + ", " + toBlock + ")");
        }
        return range(new BlockReducer(view, spec), fromBlock, toBlock);
    }

    /**
     * Merges the partials of a whole run (blocks {@code 0 … n−1}) given in block order: single blocks,
     * pre-merged groups from {@link #reduceRange}, or any mix, as long as they tile the range without
     * gaps. The merge is the fixed tree of {@link PartialMerger}.
     *
     * @param inBlockOrder the partials, the first starting at block 0
     * @return the reduction
     */
    public static Reduction merge(List<BlockPartial> inBlockOrder) {
        if (inBlockOrder == null || inBlockOrder.isEmpty()) {
            throw new IllegalArgumentException("inBlockOrder must hold at least one partial");
        }
        PartialMerger m = new PartialMerger();
        m.addAll(inBlockOrder);
        return new Reduction(m.finish());
    }

    private static List<BlockPartial> range(BlockReducer r, long from, long to) {
        PartialMerger m = new PartialMerger(from);
        for (long b = from; b < to; b++) {
            m.add(r.reduce(b));
        }
        return m.nodes();
    }

    private static void checkArgs(ParticleView view, ReduceSpec spec) {
        if (view == null) {
            throw new IllegalArgumentException("view must not be null");
        }
        if (spec == null) {
            throw new IllegalArgumentException("spec must not be null; use ReduceSpec.defaults()");
        }
        spec.check(view.dimension());
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            CancellationException c = new CancellationException("reduction interrupted");
            c.initCause(e);
            throw c;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("block reduction failed", cause);
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "langevin-reduce-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
