/* heap: the allocator's view of ws-fanout's memory (see heap.c). */
#ifndef FANOUT_HEAP_H
#define FANOUT_HEAP_H

/* Heap bytes handed out and not freed, or -1 when unknown. */
long long heap_in_use(void);
/* Returns the allocator's free pages to the kernel, where it can. */
void	heap_trim(void);

#endif
