// Draws a journey as SVG from its nodes' x/y (as the admin UI placed them), or laid out by depth
// from the entry node when an export has none; a run's path is highlighted: the nodes it visited
// and the outcomes it took.
const SUCCESS = '70e691a5-1e33-4ac3-a356-e7b6d60d92e0';
const FAILURE = 'e301438c-0bd0-429c-ab0c-66126501069a';
const START = 'startNode';
const NS = 'http://www.w3.org/2000/svg';
const W = 170;
const H = 44;

function svg(tag, attributes, text) {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Positions for every node: the export's, else columns by distance from the entry node. */
function layout(tree) {
  const positions = new Map();
  const all = Object.values(tree.nodes);
  const placed = all.length > 0 && all.every((node) => typeof node.x === 'number' && typeof node.y === 'number');
  if (placed) {
    for (const node of all) positions.set(node.id, { x: node.x, y: node.y });
    for (const [id, at] of Object.entries(tree.staticNodes || {})) if (typeof at.x === 'number' && typeof at.y === 'number') positions.set(id, { x: at.x, y: at.y });
  }
  const depth = new Map([[START, 0], [tree.entryNodeId, 1]]);
  const queue = [tree.entryNodeId];
  while (queue.length > 0) {
    const id = queue.shift();
    const node = tree.nodes[id];
    if (!node) continue;
    for (const target of Object.values(node.connections)) {
      if (!depth.has(target)) {
        depth.set(target, depth.get(id) + 1);
        queue.push(target);
      }
    }
  }
  const maxDepth = Math.max(...depth.values(), 1);
  depth.set(SUCCESS, maxDepth + 1);
  depth.set(FAILURE, maxDepth + 1);
  const rows = new Map();
  for (const [id, d] of depth) {
    if (positions.has(id)) continue;
    const index = rows.get(d) || 0;
    rows.set(d, index + 1);
    positions.set(id, { x: 40 + d * (W + 60), y: 30 + index * (H + 40) + (id === FAILURE ? H + 40 : 0) });
  }
  return positions;
}

export function drawJourney(tree, run) {
  const positions = layout(tree);
  const visited = new Set();
  const taken = new Set();
  if (run) {
    for (const visit of run.visits) {
      if (visit.journey !== tree.name) continue;
      visited.add(visit.nodeId);
      const node = tree.nodes[visit.nodeId];
      if (node && visit.outcome !== undefined && node.connections[visit.outcome]) {
        taken.add(visit.nodeId + '>' + visit.outcome);
        const target = node.connections[visit.outcome];
        if (target === SUCCESS || target === FAILURE) visited.add(target);
      }
    }
    if (run.visits.some((visit) => visit.journey === tree.name)) {
      visited.add(START);
      taken.add(START + '>');
    }
  }
  const xs = [...positions.values()].map((p) => p.x);
  const ys = [...positions.values()].map((p) => p.y);
  const minX = Math.min(...xs) - 20;
  const minY = Math.min(...ys) - 30;
  const width = Math.max(...xs) - minX + W + 40;
  const height = Math.max(...ys) - minY + H + 40;
  const root = svg('svg', { viewBox: `${minX} ${minY} ${width} ${height}`, width: Math.min(width, 1120), role: 'img', 'aria-label': 'Journey ' + tree.name + (run ? ', with the path of a run' : '') });
  const edges = svg('g', {});
  const boxes = svg('g', {});
  root.append(edges, boxes);
  const centre = (id) => {
    const p = positions.get(id);
    return p ? { x: p.x + W / 2, y: p.y + H / 2 } : undefined;
  };
  const line = (from, to, label, isTaken) => {
    const a = centre(from);
    const b = centre(to);
    if (!a || !b) return;
    edges.append(svg('line', { x1: a.x + W / 2, y1: a.y, x2: b.x - W / 2, y2: b.y, class: 'edge' + (isTaken ? ' taken' : '') }));
    if (label) edges.append(svg('text', { x: (a.x + W / 2 + b.x - W / 2) / 2, y: (a.y + b.y) / 2 - 4, 'font-size': 11, fill: '#5b6475', 'text-anchor': 'middle' }, label));
  };
  line(START, tree.entryNodeId, '', taken.has(START + '>'));
  for (const node of Object.values(tree.nodes)) {
    for (const [outcome, target] of Object.entries(node.connections)) line(node.id, target, outcome, taken.has(node.id + '>' + outcome));
  }
  const box = (id, title, subtitle) => {
    const p = positions.get(id);
    if (!p) return;
    const group = svg('g', { class: 'node' + (visited.has(id) ? ' visited' : ''), 'data-node-id': id });
    group.append(svg('rect', { x: p.x, y: p.y, width: W, height: H, rx: 6 }), svg('text', { x: p.x + 8, y: p.y + 18, 'font-size': 12, 'font-weight': 600 }, title.slice(0, 24)));
    if (subtitle) group.append(svg('text', { x: p.x + 8, y: p.y + 34, 'font-size': 10, fill: '#5b6475' }, subtitle.slice(0, 28)));
    boxes.append(group);
  };
  box(START, 'Start');
  for (const node of Object.values(tree.nodes)) box(node.id, node.displayName, node.nodeType);
  box(SUCCESS, 'Success');
  box(FAILURE, 'Failure');
  return root;
}
