//===- FindingsOutput.cpp -------------------------------------------------===//

#include "FindingsOutput.h"
#include "JsonOutput.h"
#include "SarifOutput.h"

#include "llvm/Support/Process.h"

namespace lockgraph {

llvm::Expected<OutputFormat> parseOutputFormat(llvm::StringRef Name) {
  if (Name == "text")
    return OutputFormat::Text;
  if (Name == "json")
    return OutputFormat::Json;
  if (Name == "sarif")
    return OutputFormat::Sarif;
  return llvm::createStringError("unknown --format '" + Name + "' (expected text, json or sarif)");
}

llvm::Error checkColorChoice(llvm::StringRef When) {
  if (When == "auto" || When == "always" || When == "never")
    return llvm::Error::success();
  return llvm::createStringError("unknown --color '" + When + "' (expected auto, always or never)");
}

bool useColor(llvm::StringRef When, bool StreamIsTerminal) {
  if (When == "always")
    return true;
  if (When == "never")
    return false;
  return StreamIsTerminal && !llvm::sys::Process::GetEnv("NO_COLOR");
}

void writeFindings(llvm::raw_ostream &OS, const CheckReport &Report, OutputFormat Format, const TextStyle &Style) {
  switch (Format) {
  case OutputFormat::Text:
    writeTextFindings(OS, Report, Style);
    break;
  case OutputFormat::Json:
    writeJson(OS, Report);
    break;
  case OutputFormat::Sarif:
    writeSarif(OS, Report);
    break;
  }
}

} // namespace lockgraph
