/**
 * Draws a journey as inline SVG, the way AIC's journey editor lays it out: nodes at
 * the export's x/y (top-left corners), each outcome a port on the node's right edge, connections
 * from port to node labelled by the outcome. A journey whose nodes have no coordinates is laid
 * out in columns by distance from the start. A run's path is drawn over it: the nodes it visited
 * (numbered in order), the connections it took, the node where it waits or failed. Nodes whose type
 * the emulator cannot run (they run as node stubs) are marked "stubbed".
 */
import { svg } from './common.js';

export const SUCCESS_ID = '70e691a5-1e33-4ac3-a356-e7b6d60d92e0';
export const FAILURE_ID = 'e301438c-0bd0-429c-ab0c-66126501069a';
export const START_ID = 'startNode';

const NODE_WIDTH = 200;
const HEADER = 40;
const ROW = 18;
const TERMINAL = { w: 80, h: 32 };
let drawingCounter = 0;

const OUTCOME_LABELS = { true: 'True', false: 'False', outcome: 'Outcome' };
const outcomeLabel = (id) => OUTCOME_LABELS[id] || id;

function truncate(text, max) {
  const value = String(text);
  return value.length > max ? value.slice(0, max - 1) + '…' : value;
}

/** A label that fits `width`: squeezed a little when long, cut when much too long. */
function fittedText(attrs, text, width, charWidth, max) {
  const value = truncate(text, max);
  const node = svg('text', Object.assign({}, attrs, { text: value }));
  if (value.length * charWidth > width) {
    node.setAttribute('textLength', String(width));
    node.setAttribute('lengthAdjust', 'spacingAndGlyphs');
  }
  return node;
}

/** Outcomes in the node's declared order (a script's outcomes), then any other connected ones. */
function outcomesOf(node, config) {
  const declared =
    config && config.config && Array.isArray(config.config.outcomes)
      ? config.config.outcomes.filter((o) => typeof o === 'string')
      : [];
  const ids = declared.slice();
  for (const id of Object.keys(node.connections || {})) if (!ids.includes(id)) ids.push(id);
  return ids.map((id) => ({ id, label: outcomeLabel(id), target: (node.connections || {})[id] }));
}

/** Boxes for every node, the start and the two terminals: {id, kind, x, y, w, h, title, type, outcomes}. */
export function layoutJourney(tree, configs) {
  const boxes = new Map();
  const nodes = Object.values(tree.nodes || {});
  for (const node of nodes) {
    const outcomes = outcomesOf(node, configs ? configs[node.id] : undefined);
    boxes.set(node.id, {
      id: node.id,
      kind: 'node',
      x: node.x,
      y: node.y,
      w: NODE_WIDTH,
      h: HEADER + Math.max(1, outcomes.length) * ROW + 6,
      title: node.displayName || node.nodeType,
      type: node.nodeType,
      outcomes,
    });
  }
  const statics = tree.staticNodes || {};
  const terminal = (id, kind, title) => {
    const at = statics[id] || {};
    boxes.set(id, { id, kind, x: at.x, y: at.y, w: TERMINAL.w, h: TERMINAL.h, title, type: '', outcomes: [] });
  };
  terminal(START_ID, 'start', 'Start');
  terminal(SUCCESS_ID, 'success', 'Success');
  terminal(FAILURE_ID, 'failure', 'Failure');
  boxes.get(START_ID).outcomes = [{ id: 'start', label: '', target: tree.entryNodeId }];

  const numeric = (value) => typeof value === 'number' && Number.isFinite(value);
  const placed = nodes.length > 0 && nodes.every((node) => numeric(node.x) && numeric(node.y));
  if (placed) {
    const xs = nodes.map((node) => node.x);
    const ys = nodes.map((node) => node.y);
    const minX = Math.min(...xs),
      maxX = Math.max(...xs),
      minY = Math.min(...ys);
    const start = boxes.get(START_ID),
      success = boxes.get(SUCCESS_ID),
      failure = boxes.get(FAILURE_ID);
    if (!numeric(start.x) || !numeric(start.y))
      Object.assign(start, { x: minX - 160, y: boxes.get(tree.entryNodeId) ? boxes.get(tree.entryNodeId).y : minY });
    if (!numeric(success.x) || !numeric(success.y)) Object.assign(success, { x: maxX + NODE_WIDTH + 80, y: minY });
    if (!numeric(failure.x) || !numeric(failure.y))
      Object.assign(failure, { x: maxX + NODE_WIDTH + 80, y: minY + 160 });
  } else {
    autoLayout(tree, boxes);
  }
  return boxes;
}

/** Columns by breadth-first distance from the start; unreachable nodes in a last column. */
function autoLayout(tree, boxes) {
  const column = new Map([[START_ID, 0]]);
  const queue = [];
  if (boxes.has(tree.entryNodeId) && boxes.get(tree.entryNodeId).kind === 'node') {
    column.set(tree.entryNodeId, 1);
    queue.push(tree.entryNodeId);
  }
  while (queue.length) {
    const id = queue.shift();
    for (const outcome of boxes.get(id).outcomes) {
      const target = boxes.get(outcome.target);
      if (!target || target.kind !== 'node' || column.has(target.id)) continue;
      column.set(target.id, column.get(id) + 1);
      queue.push(target.id);
    }
  }
  let last = Math.max(0, ...column.values());
  const unreachable = [...boxes.values()].filter((box) => box.kind === 'node' && !column.has(box.id));
  if (unreachable.length) {
    last += 1;
    for (const box of unreachable) column.set(box.id, last);
  }
  column.set(SUCCESS_ID, last + 1);
  column.set(FAILURE_ID, last + 1);
  const heights = new Map();
  for (const box of boxes.values()) {
    const c = column.get(box.id);
    const y = heights.get(c) || 40;
    box.x = 40 + c * 270;
    box.y = y;
    heights.set(c, y + box.h + 40);
  }
}

function portY(box, index) {
  if (box.kind !== 'node') return box.y + box.h / 2;
  return box.y + HEADER + index * ROW + ROW / 2;
}

/**
 * The SVG of a journey. options: {configs, visits (this journey's visits of a run, in order),
 * stubbed (ids of the nodes that run as node stubs), onSelect(nodeId)}. Elements carry data attributes for tests and tools: g.node[data-node-id],
 * path.edge[data-from][data-outcome][data-to]; visited nodes and taken edges have the classes
 * "visited" and "taken"; nodes that run as stubs (listed, or so visited), "stubbed".
 */
export function drawJourney(tree, options) {
  const opts = options || {};
  const uid = 'j' + ++drawingCounter;
  const boxes = layoutJourney(tree, opts.configs);
  const visits = (opts.visits || []).filter((visit) => boxes.has(visit.nodeId));

  const order = new Map();
  const taken = new Set();
  const waiting = new Set();
  const failed = new Set();
  const stubbed = new Set(opts.stubbed || []);
  for (const visit of visits) {
    if (visit.stubbed) stubbed.add(visit.nodeId);
    if (!order.has(visit.nodeId)) order.set(visit.nodeId, order.size + 1);
    if (visit.outcome !== undefined) {
      taken.add(visit.nodeId + '\n' + visit.outcome);
      waiting.delete(visit.nodeId);
      const target = (tree.nodes[visit.nodeId].connections || {})[visit.outcome];
      if (target === SUCCESS_ID || target === FAILURE_ID) order.set(target, order.get(target) || order.size + 1);
    } else if (visit.error) failed.add(visit.nodeId);
    else if (visit.callbacks) waiting.add(visit.nodeId);
  }
  if (visits.length) {
    taken.add(START_ID + '\nstart');
    order.set(START_ID, 0);
  }

  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (const box of boxes.values()) {
    minX = Math.min(minX, box.x);
    minY = Math.min(minY, box.y);
    maxX = Math.max(maxX, box.x + box.w + (box.kind === 'node' ? 70 : 0));
    maxY = Math.max(maxY, box.y + box.h);
  }
  const pad = 30;
  const width = maxX - minX + pad * 2;
  const height = maxY - minY + pad * 2;

  const root = svg('svg', {
    class: 'journey-drawing',
    viewBox: minX - pad + ' ' + (minY - pad) + ' ' + width + ' ' + height,
    width: Math.round(width),
    height: Math.round(height),
    role: 'group',
    'aria-label': 'Drawing of the journey ' + tree.name + (visits.length ? ', with the path of the run' : ''),
    dataset: { journey: tree.name },
  });
  root.append(
    svg(
      'defs',
      {},
      svg(
        'marker',
        {
          id: uid + '-arrow',
          viewBox: '0 0 10 10',
          refX: '9',
          refY: '5',
          markerUnits: 'userSpaceOnUse',
          markerWidth: '9',
          markerHeight: '9',
          orient: 'auto-start-reverse',
        },
        svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow' }),
      ),
      svg(
        'marker',
        {
          id: uid + '-arrow-taken',
          viewBox: '0 0 10 10',
          refX: '9',
          refY: '5',
          markerUnits: 'userSpaceOnUse',
          markerWidth: '11',
          markerHeight: '11',
          orient: 'auto-start-reverse',
        },
        svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow taken' }),
      ),
    ),
  );

  const edges = svg('g', { class: 'edges' });
  const takenEdges = svg('g', { class: 'edges taken-edges' });
  for (const box of boxes.values()) {
    box.outcomes.forEach((outcome, index) => {
      const target = boxes.get(outcome.target);
      if (!target) return;
      const x1 = box.x + box.w,
        y1 = portY(box, index);
      const x2 = target.x,
        y2 = target.y + Math.min(target.h / 2, HEADER / 2 + 4);
      const forward = x2 > x1 + 8;
      const dx = forward ? Math.max(12, (x2 - x1) / 2) : 120;
      const d =
        'M ' + x1 + ' ' + y1 + ' C ' + (x1 + dx) + ' ' + y1 + ', ' + (x2 - dx) + ' ' + y2 + ', ' + x2 + ' ' + y2;
      const isTaken = taken.has(box.id + '\n' + outcome.id);
      const edge = svg(
        'path',
        {
          d,
          class: ['edge', isTaken && 'taken'],
          'marker-end': 'url(#' + uid + (isTaken ? '-arrow-taken' : '-arrow') + ')',
          dataset: { from: box.id, outcome: outcome.id, to: target.id },
        },
        svg('title', { text: box.title + (outcome.label ? ' — ' + outcome.label : '') + ' → ' + target.title }),
      );
      (isTaken ? takenEdges : edges).append(edge);
    });
  }

  const nodesGroup = svg('g', { class: 'nodes' });
  for (const box of boxes.values()) {
    const visited = order.has(box.id);
    const state = failed.has(box.id) ? 'failed' : waiting.has(box.id) ? 'waiting' : '';
    const description =
      box.title +
      (box.type ? ' (' + box.type + ')' : '') +
      (visited && box.kind === 'node' ? ', visited as step ' + order.get(box.id) : '') +
      (state === 'waiting' ? ', waiting for the user' : state === 'failed' ? ', failed' : '') +
      (stubbed.has(box.id) ? ', runs as a node stub' : '');
    const group = svg(
      'g',
      {
        class: ['node', box.kind, visited && 'visited', state, stubbed.has(box.id) && 'stubbed'],
        transform: 'translate(' + box.x + ' ' + box.y + ')',
        dataset: { nodeId: box.id, name: box.title },
        tabindex: box.kind === 'node' && opts.onSelect ? '0' : undefined,
        role: box.kind === 'node' && opts.onSelect ? 'button' : undefined,
        'aria-label': description,
      },
      svg('title', { text: description }),
    );
    if (box.kind === 'node') {
      group.append(
        svg('rect', { class: 'box', width: box.w, height: box.h, rx: '6' }),
        svg('rect', { class: 'header', width: box.w, height: HEADER - 4, rx: '6' }),
        fittedText({ class: 'title', x: '10', y: '17' }, box.title, box.w - 20, 7.4, 32),
        fittedText(
          { class: 'type', x: '10', y: '31' },
          stubbed.has(box.id) ? 'stub · ' + box.type : box.type,
          box.w - 20,
          6,
          40,
        ),
      );
      box.outcomes.forEach((outcome, index) => {
        const y = HEADER + index * ROW + ROW / 2;
        const isTaken = taken.has(box.id + '\n' + outcome.id);
        group.append(
          svg('text', {
            class: ['outcome', isTaken && 'taken'],
            x: String(box.w - 12),
            y: String(y + 4),
            'text-anchor': 'end',
            text: truncate(outcome.label, 24),
          }),
          svg('circle', {
            class: ['port', isTaken && 'taken', !outcome.target && 'dangling'],
            cx: String(box.w),
            cy: String(y),
            r: '4',
          }),
        );
      });
      if (visited) {
        group.append(
          svg('circle', { class: 'step-badge', cx: '0', cy: '0', r: '11' }),
          svg('text', {
            class: 'step-number',
            x: '0',
            y: '4',
            'text-anchor': 'middle',
            text: String(order.get(box.id)),
          }),
        );
      }
      if (opts.onSelect) {
        group.addEventListener('click', () => opts.onSelect(box.id));
        group.addEventListener('keydown', (event) => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            opts.onSelect(box.id);
          }
        });
      }
    } else {
      group.append(
        svg('rect', { class: 'box', width: box.w, height: box.h, rx: String(box.h / 2) }),
        svg('text', {
          class: 'title',
          x: String(box.w / 2),
          y: String(box.h / 2 + 5),
          'text-anchor': 'middle',
          text: box.title,
        }),
      );
    }
    nodesGroup.append(group);
  }
  root.append(edges, takenEdges, nodesGroup);
  return root;
}
