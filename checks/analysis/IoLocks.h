//===- IoLocks.h - Locks that exist to serialise one stream's I/O ----------===//
//
// `std::lock_guard g(mutex_); fwrite(buf, 1, n, file_); fflush(file_);` —
// a console or file sink's mutex keeps writes to its stream from
// interleaving. Blocking on that I/O while holding it is the lock's job,
// not a bug: every thread that wants the lock wants the stream too. A held
// lock serialises an I/O call when the stream, file or descriptor the call
// uses (a `FILE *`, a standard stream object, a POSIX descriptor) is a
// member of the same object as the mutex (`file_` next to `mutex_`,
// `this->out_` next to `this->mu_`). A global mutex around `std::cout` is
// not recognised: nothing tells that it guards only the stream.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_IOLOCKS_H
#define LOCKGRAPH_ANALYSIS_IOLOCKS_H

#include "analysis/Lockset.h"

namespace lockgraph {

/// Whether \p Held serialises the I/O made by \p Call (see above).
bool serialisesIo(const HeldLock &Held, const clang::CallExpr *Call, const clang::ASTContext &Ctx);

} // namespace lockgraph

#endif
