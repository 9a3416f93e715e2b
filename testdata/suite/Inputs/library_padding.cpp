// Loaded first by `library_main padded ...`, so that the lock library
// lands at another address than in an unpadded process.
char libraryPadding[1 << 20] = {1};
