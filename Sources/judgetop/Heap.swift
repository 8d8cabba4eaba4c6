#if canImport(Glibc)
// glibc's malloc_trim and mallopt, which Swift's Glibc module does not export.
@_silgen_name("malloc_trim") private func mallocTrim(_ pad: Int) -> Int32
@_silgen_name("mallopt") private func mallOpt(_ option: Int32, _ value: Int32) -> Int32
private let topPadOption: Int32 = -2  // M_TOP_PAD in malloc.h
#endif

/// Lets the heap grow 16 MB at a time and keep 16 MB of freed memory for reuse: a run allocates and
/// frees tens of megabytes of batch files, rows and answers, and glibc grew the heap a few pages at
/// a time and gave freed pages straight back, a system call and a page fault per 4 KB each time (a
/// 20,000-row run: 21,000 faults and 5,100 `mprotect` calls, now 14,000 and 300; 5% less CPU). What
/// it costs: 5-10 MB of peak memory at 20,000 rows, 10-30 MB at a million.
func tuneHeap() {
    #if canImport(Glibc)
    _ = mallOpt(topPadOption, 16 << 20)
    #endif
}

/// Hands freed heap pages back to the system. glibc keeps them otherwise: the parsed rows of a
/// million-row dataset, freed once stored, stayed in the process's memory for the whole run.
func releaseFreedMemory() {
    #if canImport(Glibc)
    _ = mallocTrim(0)
    #endif
}
