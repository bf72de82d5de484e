/**
 * Test support: a short data-entry journey through the API (enrol, save forms, edit with a reason)
 * whose text values are unique marker strings, so a test can search logs for them.
 */
import assert from 'node:assert/strict';
import type { RegistryClient } from './client.js';

/** Field values the journey saves: none may ever appear in a log. */
export const FIELD_MARKERS = ['Therapy-Marker-Qw12', 'Ctcae-Marker-Zx34', 'Ctcae-Edited-Marker-Rt56'];

/** Enrols a patient at `site` and saves two forms and one edit; returns the study ID. */
export async function enrolAndFill(client: RegistryClient, site: string): Promise<string> {
  const enrolled = await client.post<{ study_id: string }>('/api/v1/records', { site });
  assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
  const id = enrolled.body.study_id;
  const loco = await client.put(`/api/v1/records/${id}/forms/locoregional/1`, { values: { therapy_type: 'other', therapy_other: FIELD_MARKERS[0], therapy_date: '2025-02-03' }, version: 0 });
  assert.equal(loco.status, 200, JSON.stringify(loco.body));
  const irae = await client.put<{ version: number }>(`/api/v1/records/${id}/forms/irae/1`, { values: { ctcae_term: FIELD_MARKERS[1], grade: 2, onset_date: '2025-03-04', treatment: ['steroids'] }, version: 0 });
  assert.equal(irae.status, 200, JSON.stringify(irae.body));
  const edit = await client.put(`/api/v1/records/${id}/forms/irae/1`, { values: { ctcae_term: FIELD_MARKERS[2], grade: 2, onset_date: '2025-03-04', treatment: ['steroids'] }, version: irae.body.version, reason: 'typo in the term' });
  assert.equal(edit.status, 200, JSON.stringify(edit.body));
  // A refused save quotes nothing back into the log either.
  const bad = await client.put(`/api/v1/records/${id}/forms/irae/2`, { values: { ctcae_term: FIELD_MARKERS[0], grade: 9, onset_date: '2025-03-04' }, version: 0 });
  assert.equal(bad.status, 422);
  return id;
}
