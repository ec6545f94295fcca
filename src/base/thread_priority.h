/*
 * thread_priority.h — keeps the dashboard responsive under load: the
 * pipeline's threads (ordertop's workers, librdkafka's, the embedded
 * broker's) run a few nice levels below the thread that draws, so at full
 * speed the screen and the keyboard (and the terminal emulator, at nice 0)
 * are served first and the pipeline gets the rest of the CPU.
 */
#ifndef ORDERTOP_THREAD_PRIORITY_H
#define ORDERTOP_THREAD_PRIORITY_H

/* Puts every thread of this process but the caller at least delta nice
 * levels below the caller (Linux nice is per thread; threads they start
 * later inherit it); threads already that low are left alone.  Returns how
 * many threads were changed, or -1 when /proc/self/task cannot be read. */
int thread_priority_lower_others(int delta);
/* The calling thread's nice value (0 when it cannot be read). */
int thread_priority_nice(void);
/* Puts the calling thread at nice value nice_value, unless it is lower
 * (higher nice) already. */
void thread_priority_at_least(int nice_value);

#endif
