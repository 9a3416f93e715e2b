#include "SourceFiles.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>

namespace lockgraph {

std::string absolutePath(llvm::StringRef Path, llvm::StringRef BaseDirectory) {
  llvm::SmallString<256> Result;
  if (llvm::sys::path::is_absolute(Path)) {
    Result = Path;
  } else if (!BaseDirectory.empty()) {
    Result = BaseDirectory;
    llvm::sys::path::append(Result, Path);
    llvm::sys::fs::make_absolute(Result);
  } else {
    Result = Path;
    llvm::sys::fs::make_absolute(Result);
  }
  llvm::sys::path::remove_dots(Result, /*remove_dot_dot=*/true);
  return std::string(Result);
}

const SourceFiles::Loaded *SourceFiles::load(llvm::StringRef File) {
  auto [It, Inserted] = Cache.try_emplace(File);
  if (Inserted) {
    auto Buffer = llvm::MemoryBuffer::getFile(File, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (Buffer) {
      Loaded L;
      L.Buffer = std::move(*Buffer);
      llvm::StringRef Text = L.Buffer->getBuffer();
      L.LineStarts.push_back(0);
      for (size_t I = 0; I < Text.size(); ++I)
        if (Text[I] == '\n')
          L.LineStarts.push_back(I + 1);
      It->second = std::move(L);
    }
  }
  return It->second ? &*It->second : nullptr;
}

std::optional<SourcePoint> SourceFiles::locate(llvm::StringRef File,
                                               unsigned Offset) {
  const Loaded *L = load(File);
  if (!L || Offset > L->Buffer->getBufferSize())
    return std::nullopt;
  // The last line start that is <= Offset.
  auto Next = std::upper_bound(L->LineStarts.begin(), L->LineStarts.end(),
                               Offset);
  unsigned LineIndex = unsigned(Next - L->LineStarts.begin()) - 1;
  unsigned LineStart = L->LineStarts[LineIndex];
  llvm::StringRef Text = L->Buffer->getBuffer();
  llvm::StringRef LineText = Text.substr(LineStart).split('\n').first;
  LineText.consume_back("\r");

  SourcePoint P;
  P.File = File.str();
  P.Line = LineIndex + 1;
  P.Column = Offset - LineStart + 1;
  P.LineText = LineText.str();
  return P;
}

} // namespace lockgraph
