/*
 * allocator.h — how ordertop asks glibc's malloc to behave.  Every record
 * the pipeline moves is allocated by one thread and freed by another
 * (librdkafka's messages and headers, made by a worker and freed by a
 * broker thread, or the other way round), and librdkafka's consumers
 * decompress each fetched batch into a buffer they grow with realloc().
 *
 * - Fastbins off: glibc's fastbins turn cross-thread frees into lock-free
 *   frees followed by whole-arena consolidations on the next larger
 *   allocation; without them the same work goes through the per-thread
 *   caches and the ordinary bins (docs/PERFORMANCE.md has the figures).
 * - Large blocks from the heap, and the heap not handed back at once:
 *   with glibc's defaults a decompression buffer past 128 KiB is a fresh
 *   mmap() and freed memory at the top of a heap goes back to the kernel,
 *   so the next batch takes its pages again, one page fault per 4 KiB.
 *   Blocks up
 *   to ALLOCATOR_MMAP_THRESHOLD come from the heap, and a heap keeps up to
 *   ALLOCATOR_TRIM_THRESHOLD free at its top: the pages are reused.
 *
 * A setting the user made in GLIBC_TUNABLES (malloc.mxfast,
 * malloc.mmap_threshold, malloc.trim_threshold) is theirs: left as it is.
 */
#ifndef ORDERTOP_ALLOCATOR_H
#define ORDERTOP_ALLOCATOR_H

#define ALLOCATOR_MMAP_THRESHOLD (4u << 20)
#define ALLOCATOR_TRIM_THRESHOLD (32u << 20)

enum allocator_tuning {
	ALLOCATOR_TUNED,        /* all three settings are ordertop's */
	ALLOCATOR_LEFT_TO_USER, /* GLIBC_TUNABLES names one: that one is theirs */
	ALLOCATOR_UNTOUCHED,    /* not glibc's malloc, or it refused */
};

/* Call first thing in main(), before other threads exist. */
enum allocator_tuning allocator_tune(void);

#endif
