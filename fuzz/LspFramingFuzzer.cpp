//===- LspFramingFuzzer.cpp - libFuzzer target: LSP message framing --------===//
//
// The language server reads `Content-Length:` framed JSON from an editor:
// any byte stream must yield messages, framing errors and finally the end of
// the stream, never a crash or a hang.
//
//===----------------------------------------------------------------------===//

#include "lsp/JsonRpcTransport.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  if (Size == 0)
    return 0;
  std::FILE *In = fmemopen(const_cast<uint8_t *>(Data), Size, "r");
  if (!In)
    return 0;
  lockgraph::lsp::MessageReader Reader(In);
  // Each message consumes at least one byte, so this ends.
  for (size_t I = 0; I <= Size + 1; ++I)
    if (Reader.read().What == lockgraph::lsp::IncomingMessage::EndOfStream)
      break;
  std::fclose(In);
  return 0;
}
