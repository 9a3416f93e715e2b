//===- FindingsOutput.h - Choosing and writing a findings format ----------===//
//
// The commands that report findings (check, merge) share their --format
// and --color options; this is the one place that reads them and writes a
// report in the chosen format.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_FINDINGSOUTPUT_H
#define LOCKGRAPH_FINDINGSOUTPUT_H

#include "Findings.h"
#include "TextOutput.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace lockgraph {

enum class OutputFormat { Text, Json, Sarif };

/// --format=text|json|sarif; an error naming the choices otherwise.
llvm::Expected<OutputFormat> parseOutputFormat(llvm::StringRef Name);

/// --color=auto|always|never; an error naming the choices otherwise.
llvm::Error checkColorChoice(llvm::StringRef When);

/// Whether to color a stream: "always", "never", or for "auto" a terminal
/// without NO_COLOR in the environment.
bool useColor(llvm::StringRef When, bool StreamIsTerminal);

void writeFindings(llvm::raw_ostream &OS, const CheckReport &Report, OutputFormat Format, const TextStyle &Style);

} // namespace lockgraph

#endif
