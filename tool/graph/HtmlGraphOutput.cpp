//===- HtmlGraphOutput.cpp ------------------------------------------------===//

#include "HtmlGraphOutput.h"

#include "Findings.h"
#include "GraphLayout.h"
#include "GraphOutput.h"
#include "SarifOutput.h"
#include "SourceFiles.h"
#include "TextOutput.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <set>

namespace lockgraph {
namespace {

/// What an order's tooltip adds: the tests that made it at run time.
std::string madeByText(const CombinedEdge &E) {
  std::string Processes = processesOf(E);
  return Processes.empty() ? "" : " (made by " + Processes + ")";
}

const char *const Style = R"css(
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #222; background: #fafafa; }
header { padding: 12px 20px; background: #fff; border-bottom: 1px solid #ddd; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 16px 0 6px; }
h3 { font-size: 15px; margin: 0 0 6px; font-family: monospace; }
main { display: flex; flex-wrap: wrap; gap: 16px; padding: 16px 20px; align-items: flex-start; }
#graph { background: #fff; border: 1px solid #ddd; overflow: auto; max-width: 100%; }
aside { flex: 1 1 360px; min-width: 320px; }
.legend span { margin-right: 14px; white-space: nowrap; }
.swatch { display: inline-block; width: 26px; height: 0; vertical-align: middle; margin-right: 4px; border-top: 2px solid #555; }
.swatch.runtime { border-top: 2px dashed #1f6fd1; }
.swatch.both { border-top: 4px solid #7a3fb8; }
.swatch.cycle { border-top: 2px solid #d62728; }
svg text { font: 12px monospace; pointer-events: none; }
.node rect { fill: #eef3fb; stroke: #5a7bb0; stroke-width: 1.2; }
.node.in-cycle rect { fill: #fde8e8; stroke: #d62728; stroke-width: 2; }
.edge path { fill: none; stroke: #555; stroke-width: 1.6; }
.edge.runtime-only path { stroke: #1f6fd1; stroke-dasharray: 6 4; }
.edge.both path { stroke: #7a3fb8; stroke-width: 3.2; }
.edge.in-cycle path { stroke: #d62728; }
.edge path.hit { stroke: transparent !important; stroke-width: 12; stroke-dasharray: none; }
.node, .edge { cursor: pointer; }
.selected rect, .highlight rect { stroke: #f0a000 !important; stroke-width: 3 !important; }
.edge.selected path:not(.hit), .edge.highlight path:not(.hit) { stroke: #f0a000 !important; }
.edge:hover path:not(.hit), .node:hover rect { filter: drop-shadow(0 0 3px #f0a000); }
.detail { display: none; background: #fff; border: 1px solid #ddd; padding: 10px 14px; margin-bottom: 10px; }
.detail:target, .detail.selected { display: block; }
.tag { display: inline-block; font-size: 12px; padding: 0 6px; border-radius: 8px; background: #eee; margin-right: 4px; }
.tag.static { background: #e4e4e4; } .tag.runtime { background: #dbe8fa; } .tag.cycle { background: #fbd9d9; }
.tag.both-halves { background: #efe0fa; }
ol.stack { font-family: monospace; font-size: 12px; margin: 4px 0 8px; padding-left: 28px; }
ul.sites { font-family: monospace; font-size: 12px; padding-left: 20px; }
#cycles li { margin-bottom: 4px; }
code, .loc { font-family: monospace; font-size: 12px; }
.empty { color: #777; }
)css";

// Selecting a lock, an order or a cycle shows its panel and outlines it in
// the graph; the URL fragment keeps the selection (and works without this).
const char *const Script = R"js(
(function () {
  function clear() {
    document.querySelectorAll('.selected, .highlight').forEach(function (e) {
      e.classList.remove('selected'); e.classList.remove('highlight');
    });
  }
  function select(id, scroll) {
    clear();
    var shape = document.getElementById(id), panel = document.getElementById('detail-' + id);
    if (shape) shape.classList.add('selected');
    if (panel) {
      panel.classList.add('selected');
      if (scroll) panel.scrollIntoView({block: 'nearest'});
    }
    (panel && panel.dataset.highlight ? panel.dataset.highlight.split(' ') : []).forEach(function (h) {
      var e = document.getElementById(h); if (e) e.classList.add('highlight');
    });
  }
  function fromHash() {
    var h = decodeURIComponent(location.hash.slice(1));
    if (h.indexOf('detail-') === 0) select(h.slice(7), false);
  }
  document.querySelectorAll('svg .node, svg .edge').forEach(function (g) {
    g.addEventListener('click', function (ev) {
      ev.preventDefault();
      history.replaceState(null, '', '#detail-' + g.id);
      select(g.id, true);
    });
  });
  window.addEventListener('hashchange', fromHash);
  fromHash();
  document.body.setAttribute('data-script', 'ready');
})();
)js";

std::string fmt(double V) { return llvm::formatv("{0:f1}", V).str(); }

class PageWriter {
public:
  PageWriter(llvm::raw_ostream &OS, const CombinedGraph &G, const std::string &Root) : OS(OS), G(G), Root(Root) {
    unsigned I = 0;
    for (const auto &[Name, Node] : G.nodes())
      NodeIds[Name] = "node-" + std::to_string(I++);
  }

  void write() {
    OS << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<title>lockgraph: lock-order graph</title>\n<style>"
       << Style << "</style>\n</head>\n<body>\n";
    writeHeader();
    OS << "<main>\n";
    writeSvg();
    OS << "<aside>\n";
    writeCycles();
    OS << "<h2>Details</h2>\n<p class=\"empty\">Select a lock, an order or a cycle.</p>\n";
    for (const auto &[Name, Node] : G.nodes())
      writeNodeDetail(Node);
    for (size_t I = 0; I < G.edges().size(); ++I)
      writeEdgeDetail(G.edges()[I], I);
    OS << "</aside>\n</main>\n<script>" << Script << "</script>\n</body>\n</html>\n";
  }

private:
  llvm::raw_ostream &OS;
  const CombinedGraph &G;
  const std::string &Root;
  std::map<std::string, std::string> NodeIds;

  static std::string edgeId(size_t I) { return "edge-" + std::to_string(I); }

  std::string nodeLink(const std::string &Name) const {
    return "<a href=\"#detail-" + NodeIds.at(Name) + "\"><code>" + htmlEscape(Name) + "</code></a>";
  }

  std::string sourceLink(const std::string &File, const std::string &Text) const {
    if (Text.empty())
      return "<span class=\"empty\">(unknown location)</span>";
    return "<a class=\"loc\" href=\"" + htmlEscape(fileUri(absolutePath(File))) + "\">" + htmlEscape(Text) + "</a>";
  }
  std::string link(const FactLoc &L) const { return sourceLink(L.File, factLocText(L, Root)); }
  std::string link(const RuntimeFrame &F) const { return sourceLink(F.File, frameText(F, Root)); }

  static const char *edgeKind(const CombinedEdge &E) {
    if (!E.seenStatically())
      return "runtime-only";
    return E.seenAtRunTime() ? "both" : "static";
  }

  void writeHeader() {
    CombinedGraph::EdgeCounts N = G.edgeCounts();
    OS << "<header>\n<h1>Lock-order graph</h1>\n<p class=\"summary\">" << counted(G.nodes().size(), "lock") << ", "
       << counted(G.edges().size(), "order") << " (" << N.StaticOnly << " static only, " << N.RuntimeOnly
       << " run time only, " << N.Both << " both), " << counted(G.cycles().size(), "cycle") << "; from "
       << counted(G.functionCount(), "analysed function") << " and "
       << counted(G.runtimeReportCount(), "runtime report") << ".</p>\n"
       << "<p class=\"legend\"><span><i class=\"swatch\"></i>seen by static analysis</span>"
          "<span><i class=\"swatch runtime\"></i>seen at run time only</span>"
          "<span><i class=\"swatch both\"></i>seen by both</span>"
          "<span><i class=\"swatch cycle\"></i>on a cycle</span>"
          "<span>An arrow A &#8594; B: B was acquired while A was held.</span></p>\n</header>\n";
  }

  void writeSvg() {
    std::vector<std::vector<std::string>> Groups;
    for (const CombinedCycle &C : G.cycles())
      Groups.push_back(C.Locks);
    std::vector<std::pair<std::string, std::string>> Pairs;
    for (const CombinedEdge &E : G.edges())
      Pairs.push_back({E.From, E.To});
    for (const auto &[Name, Node] : G.nodes())
      if (llvm::none_of(Pairs, [&](const auto &P) { return P.first == Name || P.second == Name; }))
        Groups.push_back({Name}); // no orders: same-class nesting only
    GraphLayout L = circularLayout(Groups, Pairs);
    OS << "<div id=\"graph\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << fmt(L.Width) << "\" height=\""
       << fmt(L.Height) << "\" viewBox=\"0 0 " << fmt(L.Width) << ' ' << fmt(L.Height)
       << "\" role=\"img\" aria-label=\"lock-order graph\">\n<defs>";
    for (auto [Id, Color] : {std::pair{"arrow", "#555"}, std::pair{"arrow-runtime-only", "#1f6fd1"},
                             std::pair{"arrow-both", "#7a3fb8"}, std::pair{"arrow-cycle", "#d62728"}})
      OS << "<marker id=\"" << Id
         << "\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"10\" markerHeight=\"10\" "
            "orient=\"auto-start-reverse\" markerUnits=\"userSpaceOnUse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\""
         << Color << "\"/></marker>";
    OS << "</defs>\n";
    for (size_t I = 0; I < G.edges().size(); ++I) {
      const CombinedEdge &E = G.edges()[I];
      std::string Marker = E.InCycle ? "arrow-cycle" : (std::string(edgeKind(E)) == "static" ? "arrow" : std::string("arrow-") + edgeKind(E));
      std::string Path = L.edgePath(E.From, E.To);
      OS << "<g class=\"edge " << edgeKind(E) << (E.InCycle ? " in-cycle" : "") << "\" id=\"" << edgeId(I)
         << "\" data-from=\"" << htmlEscape(E.From) << "\" data-to=\"" << htmlEscape(E.To) << "\"><a href=\"#detail-"
         << edgeId(I) << "\"><title>" << htmlEscape(E.From) << " &#8594; " << htmlEscape(E.To)
         << htmlEscape(madeByText(E)) << "</title><path class=\"hit\" d=\"" << Path << "\"/><path d=\"" << Path << "\" marker-end=\"url(#" << Marker
         << ")\"/></a></g>\n";
    }
    for (const CombinedCycle &C : G.cycles())
      if (C.Locks.size() == 1)
        OS << "<g class=\"edge static in-cycle nesting\" data-from=\"" << htmlEscape(C.Locks[0]) << "\" data-to=\""
           << htmlEscape(C.Locks[0]) << "\"><title>two locks of class " << htmlEscape(C.Locks[0])
           << " nested</title><path d=\"" << L.edgePath(C.Locks[0], C.Locks[0])
           << "\" marker-end=\"url(#arrow-cycle)\"/></g>\n";
    for (const auto &[Name, Node] : G.nodes()) {
      const NodeBox &B = L.Nodes.at(Name);
      OS << "<g class=\"node" << (Node.InCycle ? " in-cycle" : "") << "\" id=\"" << NodeIds.at(Name)
         << "\" data-name=\"" << htmlEscape(Name) << "\"><a href=\"#detail-" << NodeIds.at(Name) << "\"><title>"
         << htmlEscape(Name) << "</title><rect x=\"" << fmt(B.Center.X - B.Width / 2) << "\" y=\""
         << fmt(B.Center.Y - B.Height / 2) << "\" width=\"" << fmt(B.Width) << "\" height=\"" << fmt(B.Height)
         << "\" rx=\"5\"/><text x=\"" << fmt(B.Center.X) << "\" y=\"" << fmt(B.Center.Y + 4)
         << "\" text-anchor=\"middle\">" << htmlEscape(Name) << "</text></a></g>\n";
    }
    OS << "</svg></div>\n";
  }

  std::string cycleEdgeIds(const CombinedCycle &C) const {
    std::string Ids;
    for (size_t I = 0; I < C.Locks.size(); ++I) {
      Ids += (Ids.empty() ? "" : " ") + NodeIds.at(C.Locks[I]);
      if (C.Locks.size() > 1)
        for (size_t K = 0; K < G.edges().size(); ++K)
          if (G.edges()[K].From == C.Locks[I] && G.edges()[K].To == C.Locks[(I + 1) % C.Locks.size()])
            Ids += " " + edgeId(K);
    }
    return Ids;
  }

  static std::string seenBy(const CombinedCycle &C) {
    if (C.Locks.size() == 1)
      return "<span class=\"tag static\">same-class nesting</span>";
    if (C.needsBothHalves())
      return "<span class=\"tag both-halves\">needs both halves: seen only by combining them</span>";
    std::string Out;
    if (C.StaticAlone)
      Out += "<span class=\"tag static\">static analysis</span>";
    if (C.RuntimeAlone)
      Out += "<span class=\"tag runtime\">run time</span>";
    if (C.spansProcesses())
      Out += "<span class=\"tag runtime spans-processes\">run time, spanning processes: seen only by linking them</span>";
    return Out;
  }

  void writeCycles() {
    OS << "<section id=\"cycles\"><h2>Cycles</h2>\n";
    if (G.cycles().empty()) {
      OS << "<p class=\"empty\">No cycles: no lock order seen can deadlock.</p></section>\n";
      return;
    }
    OS << "<ol>\n";
    for (size_t I = 0; I < G.cycles().size(); ++I) {
      const CombinedCycle &C = G.cycles()[I];
      OS << "<li class=\"cycle" << (C.needsBothHalves() ? " needs-both-halves" : "") << "\" id=\"cycle-" << I
         << "\"><a href=\"#detail-cycle-" << I << "\">";
      for (const std::string &L : C.Locks)
        OS << "<code>" << htmlEscape(L) << "</code> &#8594; ";
      OS << "<code>" << htmlEscape(C.Locks.front()) << "</code></a> " << seenBy(C) << "</li>\n";
    }
    OS << "</ol></section>\n";
    for (size_t I = 0; I < G.cycles().size(); ++I) {
      const CombinedCycle &C = G.cycles()[I];
      OS << "<section class=\"detail\" id=\"detail-cycle-" << I << "\" data-highlight=\"" << cycleEdgeIds(C)
         << "\"><h3>Cycle " << I + 1 << "</h3><p>" << seenBy(C) << "</p><ol>";
      for (size_t K = 0; K < C.Locks.size(); ++K) {
        const std::string &To = C.Locks[(K + 1) % C.Locks.size()];
        OS << "<li>" << nodeLink(C.Locks[K]) << " &#8594; " << nodeLink(To);
        for (size_t E = 0; E < G.edges().size() && C.Locks.size() > 1; ++E)
          if (G.edges()[E].From == C.Locks[K] && G.edges()[E].To == To)
            OS << " (<a href=\"#detail-" << edgeId(E) << "\">where</a>)";
        OS << "</li>";
      }
      OS << "</ol></section>\n";
    }
  }

  void writeFrames(const std::vector<RuntimeFrame> &Frames) {
    if (Frames.empty()) {
      OS << "<p class=\"empty\">(no stack)</p>";
      return;
    }
    OS << "<ol class=\"stack\" start=\"0\">";
    for (const RuntimeFrame &F : Frames)
      OS << "<li>" << htmlEscape(F.Function.empty() ? "??" : F.Function) << " " << link(F) << "</li>";
    OS << "</ol>";
  }

  void writeEdgeDetail(const CombinedEdge &E, size_t I) {
    OS << "<section class=\"detail\" id=\"detail-" << edgeId(I) << "\"><h3>" << htmlEscape(E.From) << " &#8594; "
       << htmlEscape(E.To) << "</h3><p>";
    if (E.seenStatically())
      OS << "<span class=\"tag static\">static</span>";
    if (E.seenAtRunTime())
      OS << "<span class=\"tag runtime\">run time</span>";
    if (E.InCycle)
      OS << "<span class=\"tag cycle\">on a cycle</span>";
    OS << nodeLink(E.To) << " acquired while " << nodeLink(E.From) << " is held.</p>\n";
    if (E.Static) {
      const EdgeWitness &W = E.Static->Witness;
      OS << "<h4>Static analysis</h4><ul class=\"sites\"><li><code>" << htmlEscape(W.HeldSpelling)
         << "</code> acquired in <code>" << htmlEscape(W.Function) << "</code> at " << link(W.HeldAt) << "</li>";
      for (const ChainStep &S : W.Chain)
        OS << "<li><code>" << htmlEscape(S.Caller) << "</code> calls <code>" << htmlEscape(S.Callee) << "</code> at "
           << link(S.Site) << "</li>";
      OS << "<li><code>" << htmlEscape(W.AcquiredSpelling) << "</code> acquired at " << link(W.AcquiredAt)
         << "</li></ul>";
      if (E.Static->Witnesses > 1)
        OS << "<p>Seen in " << E.Static->Witnesses << " places; the first is shown.</p>";
    }
    for (const RuntimeEvidence &R : E.Runtime) {
      OS << "<h4>Run time</h4>";
      if (!R.Edge.Command.empty()) {
        OS << "<p class=\"process\">Made by <code>" << htmlEscape(commandLine(R.Edge.Command)) << "</code>";
        if (R.Edge.Age)
          OS << ", " << R.Edge.Age << (R.Edge.Age == 1 ? " run" : " runs") << " ago";
        OS << "</p>";
      }
      OS << "<p>In thread " << R.Edge.Thread << " (report <code>" << htmlEscape(R.ReportPath)
         << "</code>): <code>" << htmlEscape(R.ToName) << "</code> acquired (" << htmlEscape(R.Edge.AcquiredAccess)
         << ") while holding <code>" << htmlEscape(R.FromName) << "</code> (" << htmlEscape(R.Edge.HeldAccess)
         << "), at:</p>";
      writeFrames(R.Edge.Stack);
      OS << "<p><code>" << htmlEscape(R.FromName) << "</code> had been acquired at:</p>";
      writeFrames(R.Edge.HeldSite);
    }
    if (!E.Gates.empty()) {
      OS << "<p>Always taken while holding:";
      for (const std::string &Gate : E.Gates)
        OS << ' ' << nodeLink(Gate);
      OS << "</p>";
    }
    OS << "</section>\n";
  }

  void writeNodeDetail(const CombinedNode &N) {
    // Where the lock is taken, from the witnesses of its orders.
    std::set<std::string> Sites;
    std::vector<std::string> Links, Orders;
    auto AddSite = [&](const std::string &Html) {
      if (Sites.insert(Html).second)
        Links.push_back(Html);
    };
    for (size_t I = 0; I < G.edges().size(); ++I) {
      const CombinedEdge &E = G.edges()[I];
      bool Out = E.From == N.Name, In = E.To == N.Name;
      if (!Out && !In)
        continue;
      Orders.push_back((Out ? "before " + nodeLink(E.To) : "after " + nodeLink(E.From)) + " (<a href=\"#detail-" +
                       edgeId(I) + "\">where</a>)");
      if (E.Static)
        AddSite(link(Out ? E.Static->Witness.HeldAt : E.Static->Witness.AcquiredAt));
      for (const RuntimeEvidence &R : E.Runtime)
        if (const RuntimeFrame *F = firstSourceFrame(Out ? R.Edge.HeldSite : R.Edge.Stack))
          AddSite(link(*F) + " <span class=\"tag runtime\">run time</span>");
    }
    OS << "<section class=\"detail\" id=\"detail-" << NodeIds.at(N.Name) << "\" data-highlight=\""
       << NodeIds.at(N.Name) << "\"><h3>" << htmlEscape(N.Name) << "</h3><p>";
    if (N.Static)
      OS << "<span class=\"tag static\">static</span>";
    if (!N.RuntimeLocks.empty())
      OS << "<span class=\"tag runtime\">run time</span>";
    if (N.InCycle)
      OS << "<span class=\"tag cycle\">on a cycle</span>";
    OS << "</p><h4>Acquired at</h4><ul class=\"sites\">";
    for (const std::string &L : Links)
      OS << "<li>" << L << "</li>";
    OS << "</ul><h4>Orders</h4><ul>";
    for (const std::string &O : Orders)
      OS << "<li>" << O << "</li>";
    OS << "</ul>";
    if (!N.RuntimeLocks.empty()) {
      OS << "<h4>Runtime locks shown as this lock</h4><ul>";
      for (const CombinedNode::RuntimeLockRef &R : N.RuntimeLocks) {
        OS << "<li><code>" << htmlEscape(R.Name) << "</code>";
        if (R.MatchedAt)
          OS << ": acquired at the static acquisition site " << link(*R.MatchedAt);
        OS << "</li>";
      }
      OS << "</ul>";
    }
    OS << "</section>\n";
  }
};

} // namespace

std::string htmlEscape(llvm::StringRef Text) {
  std::string Out;
  Out.reserve(Text.size());
  for (char C : Text) {
    switch (C) {
    case '&': Out += "&amp;"; break;
    case '<': Out += "&lt;"; break;
    case '>': Out += "&gt;"; break;
    case '"': Out += "&quot;"; break;
    case '\'': Out += "&#39;"; break;
    default: Out += C;
    }
  }
  return Out;
}

void writeGraphHtml(llvm::raw_ostream &OS, const CombinedGraph &Graph, const std::string &SourceRoot) {
  PageWriter(OS, Graph, SourceRoot).write();
}

} // namespace lockgraph
