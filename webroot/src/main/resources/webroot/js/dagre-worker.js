// Lays out a big plan with dagre off the page's thread: dagre needs tens of seconds for some 1,000-task plans,
// and the dashboard must stay usable meanwhile. Same options as the cytoscape-dagre layout in graph.js.
/* global dagre */
importScripts('../vendor/dagre/dagre.min.js');

onmessage = ({ data }) => {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: data.nodeSep, ranksep: data.rankSep });
  g.setDefaultEdgeLabel(() => ({}));
  for (const id of data.nodes) g.setNode(id, { width: data.width, height: data.height });
  for (const [from, to] of data.edges) g.setEdge(from, to);
  dagre.layout(g);
  const positions = {};
  for (const id of g.nodes()) {
    const n = g.node(id);
    positions[id] = { x: n.x, y: n.y };
  }
  postMessage(positions);
};
