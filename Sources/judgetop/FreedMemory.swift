#if canImport(Glibc)
// glibc's malloc_trim, which Swift's Glibc module does not export.
@_silgen_name("malloc_trim") private func mallocTrim(_ pad: Int) -> Int32
#endif

/// Hands freed heap pages back to the system. glibc keeps them otherwise: the parsed rows of a
/// million-row dataset, freed once stored, stayed in the process's memory for the whole run.
func releaseFreedMemory() {
    #if canImport(Glibc)
    _ = mallocTrim(0)
    #endif
}
