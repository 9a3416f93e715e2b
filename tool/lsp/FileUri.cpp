//===- FileUri.cpp --------------------------------------------------------===//

#include "lsp/FileUri.h"

#include "llvm/ADT/StringExtras.h"

namespace lockgraph::lsp {

std::optional<std::string> pathFromFileUri(llvm::StringRef Uri) {
  llvm::StringRef Rest = Uri;
  if (!Rest.consume_front_insensitive("file://"))
    return std::nullopt;
  if (!Rest.consume_front("/") && !Rest.consume_front_insensitive("localhost/"))
    return std::nullopt;
  std::string Path = "/";
  for (size_t I = 0; I < Rest.size(); ++I) {
    if (Rest[I] == '?' || Rest[I] == '#')
      break;
    if (Rest[I] != '%') {
      Path.push_back(Rest[I]);
      continue;
    }
    if (I + 2 >= Rest.size() || !llvm::isHexDigit(Rest[I + 1]) || !llvm::isHexDigit(Rest[I + 2]))
      return std::nullopt;
    Path.push_back(char(llvm::hexFromNibbles(Rest[I + 1], Rest[I + 2])));
    I += 2;
  }
  return Path;
}

static bool isUnreserved(char C) {
  return llvm::isAlnum(C) || C == '-' || C == '.' || C == '_' || C == '~';
}

std::string fileUriFromPath(llvm::StringRef AbsolutePath) {
  std::string Uri = "file://";
  for (char C : AbsolutePath) {
    if (isUnreserved(C) || C == '/') {
      Uri.push_back(C);
      continue;
    }
    Uri.push_back('%');
    Uri.push_back(llvm::hexdigit(unsigned(uint8_t(C)) >> 4));
    Uri.push_back(llvm::hexdigit(unsigned(uint8_t(C)) & 15));
  }
  return Uri;
}

} // namespace lockgraph::lsp
