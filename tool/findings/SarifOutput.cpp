#include "SarifOutput.h"

#include "CheckCatalog.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

namespace lockgraph {

using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;

static constexpr const char *SourceRootId = "SRCROOT";
static constexpr const char *FingerprintKey = "lockgraph/v1";

static std::string percentEncodePath(llvm::StringRef Path) {
  std::string Out;
  for (unsigned char C : Path) {
    if (llvm::isAlnum(C) || llvm::StringRef("-._~/").contains(C)) {
      Out += char(C);
    } else {
      Out += '%';
      Out += llvm::hexdigit(C >> 4, /*LowerCase=*/false);
      Out += llvm::hexdigit(C & 15, /*LowerCase=*/false);
    }
  }
  return Out;
}

std::string fileUri(llvm::StringRef AbsolutePath) {
  return "file://" + percentEncodePath(AbsolutePath);
}

/// SARIF counts columns in UTF-16 code units by default; clang counts bytes.
static unsigned utf16Column(const SourcePoint &P) {
  llvm::StringRef Line(P.LineText);
  unsigned ByteLimit = P.Column > 0 ? P.Column - 1 : 0;
  unsigned Units = 0;
  for (unsigned I = 0; I < ByteLimit; ++I) {
    if (I >= Line.size()) {
      ++Units; // past the end of the line (should not happen): bytes
      continue;
    }
    unsigned char C = Line[I];
    if ((C & 0xC0) == 0x80)
      continue;              // continuation byte
    Units += C >= 0xF0 ? 2 : 1; // 4-byte sequences are surrogate pairs
  }
  return Units + 1;
}

static Value artifactLocation(const std::string &File,
                              const std::string &SourceRoot) {
  std::string Relative = pathRelativeTo(File, SourceRoot);
  if (Relative != File)
    return Object{{"uri", percentEncodePath(Relative)},
                  {"uriBaseId", SourceRootId}};
  return Object{{"uri", fileUri(File)}};
}

static Value physicalLocation(const SourcePoint &P,
                              const std::string &SourceRoot) {
  // Without endLine/endColumn a SARIF region runs to the end of its line,
  // so that is the region's snippet; the context region is the whole line.
  std::string RegionText =
      llvm::StringRef(P.LineText).drop_front(P.Column > 0 ? P.Column - 1 : 0).str();
  return Object{
      {"artifactLocation", artifactLocation(P.File, SourceRoot)},
      {"region", Object{{"startLine", P.Line},
                        {"startColumn", utf16Column(P)},
                        {"snippet", Object{{"text", std::move(RegionText)}}}}},
      {"contextRegion", Object{{"startLine", P.Line},
                               {"snippet", Object{{"text", P.LineText}}}}},
  };
}

// Takes a std::string on purpose: a json::Value made from a StringRef only
// refers to the characters, and some messages are built on the fly.
static Value message(std::string Text) {
  return Object{{"text", std::move(Text)}};
}

/// SARIF viewers show a rule's "friendly name", a Pascal-case identifier:
/// "lockgraph-lock-across-await" becomes "LockAcrossAwait".
static std::optional<std::string> ruleFriendlyName(llvm::StringRef Check) {
  if (!Check.consume_front("lockgraph-"))
    return std::nullopt;
  llvm::SmallVector<llvm::StringRef, 4> Words;
  Check.split(Words, '-', -1, /*KeepEmpty=*/false);
  std::string Name;
  for (llvm::StringRef Word : Words)
    Name += llvm::toUpper(Word.front()) + Word.drop_front().str();
  return Name;
}

namespace {
class SarifBuilder {
public:
  explicit SarifBuilder(const CheckReport &Report) : Report(Report) {}

  Value build() {
    for (const std::string &Check : Report.EnabledChecks)
      ruleIndex(Check);
    Array Results;
    for (const Finding &F : Report.Findings)
      Results.push_back(result(F));

    Object Driver{{"name", "lockgraph"},
                  {"version", LOCKGRAPH_VERSION},
                  {"semanticVersion", LOCKGRAPH_VERSION},
                  {"informationUri", documentationUri("command-line.md")},
                  {"rules", std::move(Rules)}};
    Object Run{{"tool", Object{{"driver", std::move(Driver)}}},
               {"invocations", Array{invocation()}},
               {"columnKind", "utf16CodeUnits"},
               {"results", std::move(Results)}};
    if (!Report.SourceRoot.empty())
      Run["originalUriBaseIds"] = Object{
          {SourceRootId, Object{{"uri", fileUri(Report.SourceRoot + "/")}}}};
    return Object{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                  {"version", "2.1.0"},
                  {"runs", Array{std::move(Run)}}};
  }

private:
  unsigned ruleIndex(const std::string &Check) {
    auto [It, Inserted] = RuleIndices.try_emplace(Check, Rules.size());
    if (Inserted) {
      Object Rule{{"id", Check}};
      if (auto Name = ruleFriendlyName(Check))
        Rule["name"] = std::move(*Name);
      if (auto Summary = checkSummary(Check))
        Rule["shortDescription"] = message(Summary->str());
      if (auto Help = checkHelpUri(Check))
        Rule["helpUri"] = *Help;
      Rules.push_back(std::move(Rule));
    }
    return It->second;
  }

  Value result(const Finding &F) {
    Object R{{"ruleId", F.Check},
             {"ruleIndex", ruleIndex(F.Check)},
             {"level", severityName(F.Level)},
             {"message", message(F.Message)},
             {"partialFingerprints", Object{{FingerprintKey, F.Fingerprint}}}};
    if (F.Where)
      R["locations"] =
          Array{Object{{"physicalLocation",
                        physicalLocation(*F.Where, Report.SourceRoot)}}};
    Array Related;
    int Id = 0;
    for (const FindingNote &N : F.Notes) {
      Object Location{{"id", Id++}, {"message", message(N.Message)}};
      if (N.Where)
        Location["physicalLocation"] =
            physicalLocation(*N.Where, Report.SourceRoot);
      Related.push_back(std::move(Location));
    }
    if (!Related.empty())
      R["relatedLocations"] = std::move(Related);
    if (F.NotesFormPath)
      if (std::optional<Value> Flow = codeFlow(F))
        R["codeFlows"] = Array{std::move(*Flow)};
    return R;
  }

  /// The notes of a path-like finding as one thread flow, in order, so
  /// viewers can step along a lock-order cycle or a call chain.
  std::optional<Value> codeFlow(const Finding &F) {
    Array Steps;
    for (const FindingNote &N : F.Notes) {
      if (!N.Where)
        continue;
      Object Location{{"physicalLocation", physicalLocation(*N.Where, Report.SourceRoot)},
                      {"message", message(N.Message)}};
      Steps.push_back(Object{{"location", std::move(Location)}});
    }
    if (Steps.empty())
      return std::nullopt;
    return Value(Object{{"threadFlows", Array{Object{{"locations", std::move(Steps)}}}}});
  }

  // Inputs that could not be analyzed are tool execution problems, not
  // results: code-scanning services show them apart from findings.
  Value invocation() {
    Array Notifications;
    for (const InputFailure &F : Report.Failures) {
      std::string Text = "'" + F.File + "' " + F.Reason;
      if (F.FirstError)
        Text += ": " + F.FirstError->Message;
      Object N{{"level", "error"}, {"message", message(Text)}};
      const std::optional<SourcePoint> &Where =
          F.FirstError ? F.FirstError->Where : std::nullopt;
      Value Location =
          Where ? physicalLocation(*Where, Report.SourceRoot)
                : Object{{"artifactLocation",
                          artifactLocation(F.File, Report.SourceRoot)}};
      N["locations"] = Array{Object{{"physicalLocation", std::move(Location)}}};
      Notifications.push_back(std::move(N));
    }
    return Object{{"executionSuccessful", Report.Failures.empty()},
                  {"toolExecutionNotifications", std::move(Notifications)}};
  }

  const CheckReport &Report;
  Array Rules;
  llvm::StringMap<unsigned> RuleIndices;
};
} // namespace

void writeSarif(llvm::raw_ostream &OS, const CheckReport &Report) {
  OS << llvm::formatv("{0:2}", SarifBuilder(Report).build()) << '\n';
}

} // namespace lockgraph
