//===- FieldAliases.h - Pointer members that always point into one object --===//
//
// `ErrorHandler(DBImpl *db, InstrumentedMutex *db_mutex) : db_(db),
// db_mutex_(db_mutex)` built only as `error_handler_(this, &mutex_)`: in
// every ErrorHandler, `db_mutex_` is `&db_->mutex_`, and in every DBImpl,
// `error_handler_.db_` is the DBImpl itself. No single translation unit
// can know it (the constructor's callers are elsewhere); the link learns
// it from the constructors' `fieldParams` and every construction's
// arguments, and rewrites lock paths so one mutex has one name:
//
//  - a member set from a parameter that every construction passes as a
//    member of what it passes for another member's parameter (`&mutex_`
//    and `this`) is that member of the other: `.db_mutex_` is
//    `.db_.mutex_`, of class `DBImpl::mutex_`;
//  - a member set from a parameter that every construction of a member
//    object passes as the object holding it (`error_handler_(this, ...)`)
//    points back: `.error_handler_.db_` is the holder itself.
//
// A lock pointer member is also set by plain stores anywhere in the program
// (`info->merge_lock = &merge_lock_;`, `p_(&other.mu_)`, `Mutex *p_ =
// &mu_;`: LockPointerStoreFact). When every store into it, and the answer of
// the constructions above if it is also set from a parameter, names one lock
// class, a lock through the member is of that class; when every one also
// stores a member of the object holding the pointer (`this->p_ =
// &this->mu_`), it is that member of the same object. A store of anything
// else (a parameter, a call's result), two classes, or a constructor
// parameter the constructions do not settle: the member stays a lock class
// of its own.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_FIELDALIASES_H
#define LOCKGRAPH_ANALYSIS_FIELDALIASES_H

#include "analysis/LockOrderFacts.h"

#include <map>
#include <set>

namespace lockgraph {

class FieldAliases {
public:
  /// Learns from every constructor's field parameters and every call of
  /// those constructors in \p Functions, and from every store into a lock
  /// pointer member in \p Stores.
  void learn(const std::map<std::string, FunctionFacts> &Functions,
             const std::vector<LockPointerStoreFact> &Stores = {});

  /// \p L with a member that points into another object named through it
  /// (`this.db_mutex_` -> `this.db_.mutex_`), or, when only the class it
  /// points to is known, of that class (`info.merge_lock`, of class
  /// `DBImpl::merge_lock_`).
  void rewrite(LockRef &L) const;

  /// \p Translated, the callee's \p Callee seen through \p Receiver, with a
  /// back pointer walked from its holder removed
  /// (`this.error_handler_.db_.mutex_` -> `this.mutex_`).
  void collapse(LockRef &Translated, const LockRef &Callee, const LockRef &Receiver) const;

  bool empty() const { return Members.empty() && BackPointers.empty(); }

private:
  struct MemberOf {
    /// ".db_.mutex_": the path from the object holding the member to what
    /// it points to; empty when only the class is known.
    std::string Path;
    std::string Class; ///< "DBImpl::mutex_": the class of the result
  };
  void learnFromConstructions(const std::map<std::string, FunctionFacts> &Functions);
  void learnFromStores(const std::map<std::string, FunctionFacts> &Functions,
                       const std::vector<LockPointerStoreFact> &Stores);

  /// "ErrorHandler::db_mutex_" -> where it points.
  std::map<std::string, MemberOf> Members;
  /// ("DBImpl::error_handler_", ".db_"): the member of the object held in
  /// that field that points back to its holder.
  std::set<std::pair<std::string, std::string>> BackPointers;
};

} // namespace lockgraph

#endif
