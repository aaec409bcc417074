/**
 * What the page's JavaScript heap holds, from a heap snapshot (Chromium's DevTools protocol):
 * how many objects have an own property of a given name.
 */
import type { Page } from '@playwright/test';

interface Snapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      edge_fields: string[];
      edge_types: [string[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** Objects with an own property `name`, after a garbage collection. */
export async function objectsWithProperty(page: Page, name: string): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const chunks: string[] = [];
    cdp.on('HeapProfiler.addHeapSnapshotChunk', (e) => chunks.push(e.chunk));
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    const snap = JSON.parse(chunks.join('')) as Snapshot;
    const { meta } = snap.snapshot;
    const nodeFields = meta.node_fields.length;
    const edgeFields = meta.edge_fields.length;
    const edgeCount = meta.node_fields.indexOf('edge_count');
    const edgeType = meta.edge_fields.indexOf('type');
    const edgeName = meta.edge_fields.indexOf('name_or_index');
    const property = meta.edge_types[0].indexOf('property');
    let found = 0;
    let edge = 0;
    for (let node = 0; node < snap.nodes.length; node += nodeFields) {
      const end = edge + snap.nodes[node + edgeCount]! * edgeFields;
      for (; edge < end; edge += edgeFields) {
        if (
          snap.edges[edge + edgeType] === property &&
          snap.strings[snap.edges[edge + edgeName]!] === name
        ) {
          found++;
        }
      }
    }
    return found;
  } finally {
    await cdp.detach();
  }
}
