import type { UserMapping } from '../import/detect';
import { parseMapping } from '../import/mapping';
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
