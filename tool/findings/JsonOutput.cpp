#include "JsonOutput.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

namespace lockgraph {

using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;

static void addLocation(Object &O, const std::optional<SourcePoint> &Where) {
  if (!Where)
    return;
  O["file"] = Where->File;
  O["line"] = Where->Line;
  O["column"] = Where->Column;
}

static Value noteJson(const FindingNote &N) {
  Object O{{"message", N.Message}};
  addLocation(O, N.Where);
  return O;
}

static Value findingJson(const Finding &F) {
  Object O{{"check", F.Check},
           {"severity", severityName(F.Level)},
           {"message", F.Message},
           {"fingerprint", F.Fingerprint}};
  addLocation(O, F.Where);
  Array Notes;
  for (const FindingNote &N : F.Notes)
    Notes.push_back(noteJson(N));
  O["notes"] = std::move(Notes);
  return O;
}

static Value failureJson(const InputFailure &F) {
  Object O{{"file", F.File}, {"reason", F.Reason}, {"errorCount", F.ErrorCount}};
  if (F.FirstError)
    O["firstError"] = noteJson(*F.FirstError);
  return O;
}

void writeJson(llvm::raw_ostream &OS, const CheckReport &Report) {
  Array Findings, Failures;
  for (const Finding &F : Report.Findings)
    Findings.push_back(findingJson(F));
  for (const InputFailure &F : Report.Failures)
    Failures.push_back(failureJson(F));

  Object Root{
      {"version", JsonFormatVersion},
      {"tool", Object{{"name", "lockgraph"}, {"version", LOCKGRAPH_VERSION}}},
      {"sourceRoot", Report.SourceRoot},
      {"findings", std::move(Findings)},
      {"failures", std::move(Failures)},
      {"summary", Object{{"filesAnalyzed", Report.FilesAnalyzed},
                         {"findings", int64_t(Report.Findings.size())},
                         {"suppressedByNolint", Report.SuppressedByNolint},
                         {"suppressedByBaseline", Report.SuppressedByBaseline},
                         {"failures", int64_t(Report.Failures.size())}}},
  };
  OS << llvm::formatv("{0:2}", Value(std::move(Root))) << '\n';
}

} // namespace lockgraph
