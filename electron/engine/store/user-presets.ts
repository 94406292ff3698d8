import type { Bilingual, Source } from '../../../shared/records';
import type { UserMapping } from '../import/detect';
import { parseMapping } from '../import/mapping';
import { PRESETS } from '../import/presets';
import { localNow } from '../time';
import type { Db } from './database';

export interface UserPreset {
  id: string;
  name: string;
  mapping: UserMapping;
  createdAt: string;
}

export function saveUserPreset(db: Db, name: string, mapping: UserMapping): UserPreset {
  const id = name.trim();
  const stored = { ...mapping, name: id };
  const createdAt = localNow();
  db.prepare(
    `INSERT INTO user_presets (id, name, mapping_json, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET mapping_json = excluded.mapping_json, created_at = excluded.created_at`,
  ).run(id, id, JSON.stringify(stored), createdAt);
  return { id, name: id, mapping: stored, createdAt };
}

export function listUserPresets(db: Db): UserPreset[] {
  const rows = db
    .prepare('SELECT id, name, mapping_json, created_at FROM user_presets ORDER BY id')
    .all() as Array<{
    id: string;
    name: string;
    mapping_json: string;
    created_at: string;
  }>;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    mapping: parseMapping(r.mapping_json, `preset ${r.id}`),
    createdAt: r.created_at,
  }));
}

export function findUserPreset(db: Db, id: string): UserPreset | undefined {
  return listUserPresets(db).find((p) => p.id === id);
}

/** Every layout an import can be read with: the built-in presets, then the mappings users saved. */
export function listLayouts(db: Db): Array<{ id: string; name: Bilingual; source: Source; saved: boolean }> {
  return [
    ...PRESETS.map((p) => ({ id: p.id, name: p.name, source: p.source, saved: false })),
    ...listUserPresets(db).map((p) => ({
      id: p.id,
      name: { zh: p.name, en: p.name },
      source: p.mapping.source,
      saved: true,
    })),
  ];
}
