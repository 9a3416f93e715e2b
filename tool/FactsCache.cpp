//===- FactsCache.cpp -----------------------------------------------------===//

#include "FactsCache.h"

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
constexpr int EntryVersion = 1;

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

std::optional<TUFacts> FactsCache::lastFacts(llvm::StringRef File) const {
  if (!llvm::sys::fs::exists(factsPath(File)))
    return std::nullopt;
  llvm::Expected<TUFacts> Facts = readFactsFile(factsPath(File));
  if (!Facts) {
    llvm::consumeError(Facts.takeError());
    return std::nullopt;
  }
  return std::move(*Facts);
}

std::optional<CachedTU> FactsCache::lookup(llvm::StringRef File, llvm::StringRef Key) {
  auto Buffer = llvm::MemoryBuffer::getFile(entryPath(File) + ".tu.json");
  if (!Buffer)
    return std::nullopt;
  llvm::Expected<json::Value> Doc = json::parse((*Buffer)->getBuffer());
  if (!Doc) {
    llvm::consumeError(Doc.takeError());
    return std::nullopt;
  }
  const json::Object *O = Doc->getAsObject();
  if (!O || O->getString("format") != EntryFormat || O->getInteger("version") != EntryVersion ||
      O->getString("key") != Key || O->getString("file") != File)
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
  llvm::Expected<TUFacts> Facts = readFactsFile(factsPath(File));
  if (!Facts) {
    llvm::consumeError(Facts.takeError());
    return std::nullopt;
  }
  return CachedTU{std::move(*Facts), std::move(*Analysis)};
}

llvm::Error FactsCache::store(llvm::StringRef File, llvm::StringRef Key, const std::vector<InputFile> &Inputs,
                              const TUFacts &Facts, const FileAnalysis &Analysis) {
  // Facts first: an entry whose facts file is missing is a miss, never a
  // wrong hit.
  if (llvm::Error E = writeFactsFile(factsPath(File), Facts))
    return E;
  json::Array InputArray;
  for (const InputFile &In : Inputs)
    InputArray.push_back(
        json::Array{In.Path, int64_t(In.Size), In.ModTime, llvm::utohexstr(In.Hash, /*LowerCase=*/true)});
  json::Object Entry{{"format", EntryFormat},     {"version", EntryVersion},
                     {"file", File},              {"key", Key},
                     {"inputs", std::move(InputArray)}, {"analysis", analysisToJson(Analysis)}};
  std::string Path = entryPath(File) + ".tu.json";
  llvm::SmallString<256> Temp;
  int FD = -1;
  if (std::error_code EC = llvm::sys::fs::createUniqueFile(Path + ".tmp-%%%%%%", FD, Temp))
    return llvm::createStringError("cannot write cache entry '" + Path + "': " + EC.message());
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << json::Value(std::move(Entry)) << '\n';
    OS.close();
    if (OS.has_error()) {
      OS.clear_error();
      llvm::sys::fs::remove(Temp);
      return llvm::createStringError("cannot write cache entry '" + Path + "'");
    }
  }
  if (std::error_code EC = llvm::sys::fs::rename(Temp, Path)) {
    llvm::sys::fs::remove(Temp);
    return llvm::createStringError("cannot write cache entry '" + Path + "': " + EC.message());
  }
  return llvm::Error::success();
}

} // namespace lockgraph
