//===- IoLocks.h - Locks that exist to serialise one stream's I/O ----------===//
//
// `std::lock_guard g(mutex_); fwrite(buf, 1, n, file_); fflush(file_);` —
// a console or file sink's mutex keeps writes to its stream from
// interleaving. Blocking on that I/O while holding it is the lock's job,
// not a bug: every thread that wants the lock wants the stream too. A held
// lock serialises an I/O call when the stream, file or descriptor the call
// uses (a `FILE *`, a standard stream object, a POSIX descriptor) is a
// member of the same object as the mutex (`file_` next to `mutex_`,
// `this->out_` next to `this->mu_`), whether the call is made in the
// function holding the lock or in a helper of the same object it calls
// (`print_range_(buf)` writing `target_file_`): the stream travels up the
// call chain as the helper's DirectSite::Object, translated like a lock.
// A mutex declared `static` inside the function that locks it is an I/O
// lock for any I/O made under it (`static std::mutex m; lock_guard g(m);
// fprintf(stderr, ...)`): no other code can take it, so all it serialises
// is that function's own output. A global mutex around `std::cout` is not
// recognised: nothing tells that it guards only the stream.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_IOLOCKS_H
#define LOCKGRAPH_ANALYSIS_IOLOCKS_H

#include "analysis/Lockset.h"

namespace lockgraph {

/// The stream, file or descriptor \p Call does its I/O on, as a path a
/// caller can translate (a member, a parameter, a local), when one of its
/// operands is one.
std::optional<LockExpr> ioStreamOf(const clang::CallExpr *Call, const clang::ASTContext &Ctx);

/// Whether \p Held serialises I/O on \p Stream (see above): both are
/// members of one object, or the mutex is a function's static local.
bool serialisesIo(const HeldLock &Held, const std::optional<LockExpr> &Stream);

} // namespace lockgraph

#endif
