//===- FactsCache.cpp -----------------------------------------------------===//

#include "FactsCache.h"
#include "analysis/BoundedJson.h"

#include "OutputFile.h"
#include "analysis/FactsFile.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/xxhash.h"

namespace json = llvm::json;

namespace lockgraph {
namespace {

constexpr llvm::StringLiteral EntryFormat = "lockgraph_cache_entry";
constexpr int EntryVersion = 2; // 2: "facts", the hash of the entry's facts file

std::string hexDigest(llvm::SHA256 &Hash) {
  std::array<uint8_t, 32> Digest = Hash.final();
  return llvm::toHex(llvm::ArrayRef<uint8_t>(Digest.data(), 16), /*LowerCase=*/true);
}

std::optional<InputFile> statFile(llvm::StringRef Path) {
  llvm::sys::fs::file_status Status;
  if (llvm::sys::fs::status(Path, Status))
    return std::nullopt;
  InputFile In;
  In.Path = Path.str();
  In.Size = Status.getSize();
  In.ModTime = Status.getLastModificationTime().time_since_epoch().count();
  return In;
}

json::Value messageToJson(const clang::tooling::DiagnosticMessage &M) {
  return json::Object{{"text", M.Message}, {"file", M.FilePath}, {"offset", int64_t(M.FileOffset)}};
}

clang::tooling::DiagnosticMessage messageFromJson(const json::Object *O) {
  clang::tooling::DiagnosticMessage M;
  if (!O)
    return M;
  M.Message = O->getString("text").value_or("").str();
  M.FilePath = O->getString("file").value_or("").str();
  M.FileOffset = unsigned(O->getInteger("offset").value_or(0));
  return M;
}

json::Value analysisToJson(const FileAnalysis &A) {
  json::Array Diags;
  for (const clang::tidy::ClangTidyError &D : A.Diagnostics) {
    json::Array Notes;
    for (const auto &N : D.Notes)
      Notes.push_back(messageToJson(N));
    Diags.push_back(json::Object{{"check", D.DiagnosticName},
                                 {"level", int64_t(D.DiagLevel)},
                                 {"buildDirectory", D.BuildDirectory},
                                 {"warningAsError", D.IsWarningAsError},
                                 {"message", messageToJson(D.Message)},
                                 {"notes", std::move(Notes)}});
  }
  return json::Object{{"diagnostics", std::move(Diags)},
                      {"enabledChecks", json::Array(A.EnabledChecks)},
                      {"suppressedByNolint", int64_t(A.SuppressedByNolint)}};
}

std::optional<FileAnalysis> analysisFromJson(const json::Object *O, llvm::StringRef File) {
  if (!O)
    return std::nullopt;
  FileAnalysis A;
  A.File = File.str();
  A.SuppressedByNolint = unsigned(O->getInteger("suppressedByNolint").value_or(0));
  if (const json::Array *Checks = O->getArray("enabledChecks"))
    for (const json::Value &C : *Checks)
      A.EnabledChecks.push_back(C.getAsString().value_or("").str());
  const json::Array *Diags = O->getArray("diagnostics");
  if (!Diags)
    return std::nullopt;
  for (const json::Value &V : *Diags) {
    const json::Object *D = V.getAsObject();
    if (!D)
      return std::nullopt;
    auto Level = clang::tooling::Diagnostic::Level(D->getInteger("level").value_or(1));
    clang::tidy::ClangTidyError E(D->getString("check").value_or(""), Level,
                                  D->getString("buildDirectory").value_or(""),
                                  D->getBoolean("warningAsError").value_or(false));
    E.Message = messageFromJson(D->getObject("message"));
    if (const json::Array *Notes = D->getArray("notes"))
      for (const json::Value &N : *Notes)
        E.Notes.push_back(messageFromJson(N.getAsObject()));
    A.Diagnostics.push_back(std::move(E));
  }
  return A;
}

std::string contentHash(llvm::StringRef Text) { return llvm::utohexstr(llvm::xxh3_64bits(Text), /*LowerCase=*/true); }

/// Entries are replaced whole (OutputFile: a temporary renamed into place),
/// so parallel or interrupted runs never leave half an entry.
llvm::Error writeFileAtomically(const std::string &Path, llvm::StringRef Text) {
  if (std::error_code EC = llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Path)))
    return llvm::createStringError("cannot write cache entry '" + Path + "': " + EC.message());
  auto Out = OutputFile::open(Path);
  if (!Out)
    return llvm::createStringError("cache entry: " + llvm::toString(Out.takeError()));
  (*Out)->stream() << Text;
  if (llvm::Error E = (*Out)->commit())
    return llvm::createStringError("cache entry: " + llvm::toString(std::move(E)));
  return llvm::Error::success();
}

} // namespace

std::optional<std::vector<InputFile>> inputsOf(const clang::SourceManager &SM) {
  std::vector<InputFile> Out;
  for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It) {
    llvm::StringRef Path = It->first.getFileEntry().tryGetRealPathName();
    if (Path.empty() || !llvm::sys::path::is_absolute(Path))
      return std::nullopt;
    std::optional<InputFile> In = statFile(Path);
    if (!In)
      return std::nullopt;
    // Hash what the compiler read, not what is on disk now: a file edited
    // during the analysis must not be recorded as analysed.
    std::optional<llvm::MemoryBufferRef> Buffer;
    if (It->second)
      Buffer = It->second->getBufferIfLoaded();
    if (!Buffer)
      return std::nullopt;
    In->Hash = llvm::xxh3_64bits(Buffer->getBuffer());
    if (In->Size != Buffer->getBufferSize())
      In->ModTime = 0; // changed since it was read: force a content check
    Out.push_back(std::move(*In));
  }
  std::sort(Out.begin(), Out.end(), [](const InputFile &A, const InputFile &B) { return A.Path < B.Path; });
  return Out;
}

std::string cacheKey(const clang::tooling::CompilationDatabase &Commands, llvm::StringRef File,
                     llvm::StringRef ConfigurationText) {
  llvm::SHA256 Hash;
  auto Field = [&Hash](llvm::StringRef Text) {
    Hash.update(Text);
    Hash.update(llvm::StringRef("\0", 1));
  };
  Field("facts-v" + std::to_string(FactsFormatVersion));
  // A rebuilt lockgraph may analyse differently: its binary is part of
  // the key.
  std::string Self = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
  if (std::optional<InputFile> Binary = statFile(Self)) {
    Field(Self);
    Field(std::to_string(Binary->Size) + ":" + std::to_string(Binary->ModTime));
  }
  for (const clang::tooling::CompileCommand &C : Commands.getCompileCommands(File)) {
    Field(C.Directory);
    for (const std::string &Arg : C.CommandLine)
      Field(Arg);
  }
  Field(ConfigurationText);
  return hexDigest(Hash);
}

FactsCache::FactsCache(std::string Directory) : Directory(std::move(Directory)) {}

std::string FactsCache::entryPath(llvm::StringRef File) const {
  llvm::SHA256 Hash;
  Hash.update(File);
  llvm::SmallString<256> Path(Directory);
  llvm::sys::path::append(Path, llvm::sys::path::filename(File) + "-" + hexDigest(Hash).substr(0, 16));
  return Path.str().str();
}

std::string FactsCache::factsPath(llvm::StringRef File) const { return entryPath(File) + ".facts.json"; }

bool FactsCache::unchanged(const InputFile &Input) {
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    if (auto It = Checked.find(Input.Path); It != Checked.end())
      return It->second.second && It->second.first == Input.Hash;
  }
  std::optional<InputFile> Now = statFile(Input.Path);
  bool Same = false;
  uint64_t Hash = Input.Hash;
  if (Now && Now->Size == Input.Size) {
    if (Now->ModTime == Input.ModTime && Input.ModTime != 0) {
      Same = true;
    } else if (auto Buffer = llvm::MemoryBuffer::getFile(Input.Path)) {
      Hash = llvm::xxh3_64bits((*Buffer)->getBuffer());
      Same = Hash == Input.Hash;
    }
  }
  std::lock_guard<std::mutex> Lock(Mutex);
  Checked[Input.Path] = {Same ? Input.Hash : Hash, Same};
  return Same;
}

std::optional<json::Value> FactsCache::readEntry(llvm::StringRef File) const {
  auto Buffer = llvm::MemoryBuffer::getFile(entryPath(File) + ".tu.json");
  if (!Buffer)
    return std::nullopt;
  llvm::Expected<json::Value> Doc = parseJsonBounded((*Buffer)->getBuffer());
  if (!Doc) {
    llvm::consumeError(Doc.takeError());
    return std::nullopt;
  }
  const json::Object *O = Doc->getAsObject();
  if (!O || O->getString("format") != EntryFormat || O->getInteger("version") != EntryVersion ||
      O->getString("file") != File)
    return std::nullopt;
  return std::move(*Doc);
}

std::optional<TUFacts> FactsCache::factsOfEntry(const json::Object &Entry, llvm::StringRef File) const {
  // The facts file must be the one this entry was written with: a facts
  // file of another unit copied over it (valid, but not this unit's) is a
  // miss, never a hit with the wrong functions.
  auto Buffer = llvm::MemoryBuffer::getFile(factsPath(File));
  if (!Buffer || Entry.getString("facts") != contentHash((*Buffer)->getBuffer()))
    return std::nullopt;
  llvm::Expected<TUFacts> Facts = parseFacts((*Buffer)->getBuffer());
  if (!Facts) {
    llvm::consumeError(Facts.takeError());
    return std::nullopt;
  }
  return std::move(*Facts);
}

std::optional<TUFacts> FactsCache::lastFacts(llvm::StringRef File) const {
  std::optional<json::Value> Entry = readEntry(File);
  if (!Entry)
    return std::nullopt;
  return factsOfEntry(*Entry->getAsObject(), File);
}

std::optional<CachedTU> FactsCache::lookup(llvm::StringRef File, llvm::StringRef Key) {
  std::optional<json::Value> Entry = readEntry(File);
  if (!Entry)
    return std::nullopt;
  const json::Object *O = Entry->getAsObject();
  if (O->getString("key") != Key)
    return std::nullopt;
  const json::Array *Inputs = O->getArray("inputs");
  if (!Inputs)
    return std::nullopt;
  for (const json::Value &V : *Inputs) {
    const json::Array *A = V.getAsArray();
    if (!A || A->size() != 4)
      return std::nullopt;
    InputFile In;
    In.Path = (*A)[0].getAsString().value_or("").str();
    In.Size = uint64_t((*A)[1].getAsInteger().value_or(-1));
    In.ModTime = (*A)[2].getAsInteger().value_or(0);
    llvm::StringRef HashText = (*A)[3].getAsString().value_or("");
    if (HashText.getAsInteger(16, In.Hash) || !unchanged(In))
      return std::nullopt;
  }
  std::optional<FileAnalysis> Analysis = analysisFromJson(O->getObject("analysis"), File);
  if (!Analysis)
    return std::nullopt;
  std::optional<TUFacts> Facts = factsOfEntry(*O, File);
  if (!Facts)
    return std::nullopt;
  return CachedTU{std::move(*Facts), std::move(*Analysis)};
}

llvm::Error FactsCache::store(llvm::StringRef File, llvm::StringRef Key, const std::vector<InputFile> &Inputs,
                              const TUFacts &Facts, const FileAnalysis &Analysis) {
  // Facts first: an entry whose facts file is missing or another is a
  // miss, never a wrong hit.
  std::string FactsText;
  llvm::raw_string_ostream FactsStream(FactsText);
  writeFacts(FactsStream, Facts);
  if (llvm::Error E = writeFileAtomically(factsPath(File), FactsText))
    return E;
  json::Array InputArray;
  for (const InputFile &In : Inputs)
    InputArray.push_back(
        json::Array{In.Path, int64_t(In.Size), In.ModTime, llvm::utohexstr(In.Hash, /*LowerCase=*/true)});
  json::Object Entry{{"format", EntryFormat},     {"version", EntryVersion},
                     {"file", File},              {"key", Key},
                     {"facts", contentHash(FactsText)},
                     {"inputs", std::move(InputArray)}, {"analysis", analysisToJson(Analysis)}};
  std::string EntryText;
  llvm::raw_string_ostream EntryStream(EntryText);
  EntryStream << json::Value(std::move(Entry)) << '\n';
  return writeFileAtomically(entryPath(File) + ".tu.json", EntryText);
}

} // namespace lockgraph
