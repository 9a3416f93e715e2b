#include "Baseline.h"
#include "analysis/BoundedJson.h"

#include "OutputFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <tuple>

namespace lockgraph {

namespace json = llvm::json;

static constexpr llvm::StringLiteral FormatName = "lockgraph_baseline";

static std::string relativeFile(const Finding &F, const std::string &SourceRoot) {
  return F.Where ? pathRelativeTo(F.Where->File, SourceRoot) : "";
}

Baseline Baseline::of(const CheckReport &Report) {
  Baseline B;
  for (const Finding &F : Report.Findings)
    B.Entries.push_back({F.Check, relativeFile(F, Report.SourceRoot), F.Fingerprint});
  return B;
}

unsigned Baseline::suppressKnown(CheckReport &Report) const {
  using Key = std::tuple<std::string, std::string, std::string>;
  std::map<Key, unsigned> Remaining;
  for (const BaselineEntry &E : Entries)
    ++Remaining[{E.Check, E.File, E.Fingerprint}];

  unsigned Suppressed = 0;
  std::erase_if(Report.Findings, [&](const Finding &F) {
    auto It = Remaining.find({F.Check, relativeFile(F, Report.SourceRoot), F.Fingerprint});
    if (It == Remaining.end() || It->second == 0)
      return false;
    --It->second;
    ++Suppressed;
    return true;
  });
  return Suppressed;
}

json::Value baselineJson(const CheckReport &Report) {
  json::Array Findings;
  for (const Finding &F : Report.Findings) {
    json::Object Entry{{"check", F.Check},
                       {"file", relativeFile(F, Report.SourceRoot)},
                       {"fingerprint", F.Fingerprint},
                       {"message", F.Message}};
    if (F.Where)
      Entry["line"] = F.Where->Line;
    Findings.push_back(std::move(Entry));
  }
  return json::Object{{"format", FormatName},
                      {"version", BaselineFormatVersion},
                      {"findings", std::move(Findings)}};
}

static bool fromJSON(const json::Value &V, BaselineEntry &E, json::Path P) {
  json::ObjectMapper M(V, P);
  return M && M.map("check", E.Check) && M.map("file", E.File) &&
         M.map("fingerprint", E.Fingerprint);
}

llvm::Expected<Baseline> parseBaseline(llvm::StringRef Text) {
  llvm::Expected<json::Value> Doc = parseJsonBounded(Text);
  if (!Doc)
    return llvm::createStringError("not valid JSON: " + llvm::toString(Doc.takeError()));
  const json::Object *O = Doc->getAsObject();
  if (!O || O->getString("format") != FormatName)
    return llvm::createStringError("not a lockgraph baseline (no \"format\": \"lockgraph_baseline\")");
  std::optional<int64_t> Version = O->getInteger("version");
  if (Version != BaselineFormatVersion)
    return llvm::createStringError(
        "baseline version " + (Version ? std::to_string(*Version) : "?") +
        " is not the supported version " + std::to_string(BaselineFormatVersion) +
        "; write it again with --write-baseline");
  Baseline B;
  json::Path::Root Root("baseline");
  const json::Value *Findings = O->get("findings");
  if (!Findings || !fromJSON(*Findings, B.Entries, json::Path(Root).field("findings")))
    return Findings ? Root.getError()
                    : llvm::createStringError("baseline has no \"findings\" array");
  return B;
}

llvm::Expected<Baseline> readBaselineFile(const std::string &Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer)
    return llvm::createStringError("cannot read baseline '" + Path +
                                   "': " + Buffer.getError().message());
  llvm::Expected<Baseline> B = parseBaseline((*Buffer)->getBuffer());
  if (!B)
    return llvm::createStringError("baseline '" + Path +
                                   "': " + llvm::toString(B.takeError()));
  return B;
}

llvm::Error writeBaselineFile(const std::string &Path, const CheckReport &Report) {
  auto Out = OutputFile::open(Path);
  if (!Out)
    return llvm::createStringError("baseline: " + llvm::toString(Out.takeError()));
  (*Out)->stream() << llvm::formatv("{0:2}", baselineJson(Report)) << '\n';
  if (llvm::Error E = (*Out)->commit())
    return llvm::createStringError("baseline: " + llvm::toString(std::move(E)));
  return llvm::Error::success();
}

} // namespace lockgraph
