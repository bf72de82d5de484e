// odm.xml parsed back by a strict XML parser (test-xml.ts, itself tested on malformed input below):
// the ODM 1.3.2 root attributes and element order, every OID reference resolving to a definition of
// the right kind, every value matching its ItemDef's DataType and CodeList, and every cell of every
// forms/<form>.csv recovered from the ItemData (blank = no ItemData, missing = IsNull + the code).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtInDefinition } from '../definition/load.js';
import type { FormValues, RecordForms } from '../definition/values.js';
import { exportTables, type ExportRecord, type ExportTableOptions } from './export-tables.js';
import { exportOdm, ODM_NAMESPACE } from './odm.js';
import { elements, parseXml, type XmlElement } from './test-xml.js';

const def = builtInDefinition();
const CREATED = new Date('2026-12-01T10:20:30.456Z');

function rec(studyId: string, siteCode: string, forms: Record<string, FormValues[]>): ExportRecord {
  const f: RecordForms = {};
  for (const [id, list] of Object.entries(forms)) f[id] = list.map((values, i) => ({ instance: i + 1, values }));
  return { studyId, siteCode, forms: f };
}

const RECORDS: ExportRecord[] = [
  rec('LYON-0002', 'LYON', {}), // enrolled, nothing entered yet: a SubjectData without events
  rec('LYON-0001', 'LYON', {
    baseline: [{ age_at_enrolment: 61, sex: 'male', aetiology: ['hbv', 'alcohol'], afp_ng_ml: { missing: 'not_done' }, ecog: { missing: 'unknown' } }],
    ici_line: [
      { regimen: 'other', regimen_other: 'Trial drug "A&B" <phase 2>', first_dose_date: '2025-01-10', last_dose_date: '2025-04-01', cycles: 4 },
      { regimen: 'nivolumab', first_dose_date: '2025-04-20' },
    ],
    surgery: [{ surgery_type: 'ddlt', surgery_date: '2025-06-01', immunosuppression: { missing: 'unknown' } }],
    pathology: [{ pathology_date: '2025-06-08', viable_tumour_pct: 12.5 }],
    rejection: [{ biopsy_date: '2025-06-20', biopsy_proven: 'yes', banff_grade: 'moderate', rai: 5, treatment: ['steroid_pulse'] }],
  }),
  rec('PARIS-0001', 'PARIS', { ici_line: [{ regimen: 'atezo_bev', first_dose_date: '2024-11-02' }], followup: [{ visit: 'd30', visit_date: '2024-12-02', vital_status: 'alive' }, { visit: 'd90', visit_date: '2025-01-31' }] }),
];

function build(options: ExportTableOptions): { root: XmlElement; tables: ReturnType<typeof exportTables> } {
  const tables = exportTables(def, RECORDS, options);
  return { root: parseXml(exportOdm(def, tables, options, CREATED, tables[0]!.rows.map((r) => r[0]!))), tables };
}

const child = (e: XmlElement, name: string): XmlElement[] => e.children.filter((c) => c.name === name);

for (const options of [{}, { identified: true, includeText: true }] as ExportTableOptions[]) {
  test(`ODM 1.3.2 structure and references resolve (${options.identified === true ? 'identified, with text' : 'de-identified'})`, () => {
    const { root } = build(options);
    assert.equal(root.name, 'ODM');
    assert.deepEqual([root.attributes.xmlns, root.attributes.FileType, root.attributes.ODMVersion, root.attributes.CreationDateTime], [ODM_NAMESPACE, 'Snapshot', '1.3.2', '2026-12-01T10:20:30.456Z']);
    assert.ok((root.attributes.FileOID ?? '').length > 0);
    assert.deepEqual(root.children.map((c) => c.name), ['Study', 'ClinicalData']);
    const study = child(root, 'Study')[0]!;
    assert.deepEqual(study.children.map((c) => c.name), ['GlobalVariables', 'MetaDataVersion']);
    assert.deepEqual(child(study, 'GlobalVariables')[0]!.children.map((c) => c.name), ['StudyName', 'StudyDescription', 'ProtocolName']);
    const mdv = child(study, 'MetaDataVersion')[0]!;
    const rank = ['Protocol', 'StudyEventDef', 'FormDef', 'ItemGroupDef', 'ItemDef', 'CodeList'];
    const ranks = mdv.children.map((c) => rank.indexOf(c.name));
    assert.ok(ranks.every((r, i) => r >= 0 && (i === 0 || r >= ranks[i - 1]!)), `MetaDataVersion children in ODM order: ${mdv.children.map((c) => c.name).join(',')}`);
    const defs = (name: string): Map<string, XmlElement> => {
      const list = child(mdv, name);
      const map = new Map(list.map((e) => [e.attributes.OID!, e]));
      assert.equal(map.size, list.length, `${name} OIDs are unique`);
      return map;
    };
    const events = defs('StudyEventDef'); const forms = defs('FormDef'); const groups = defs('ItemGroupDef'); const items = defs('ItemDef'); const codeLists = defs('CodeList');
    assert.equal(forms.size, def.forms.length);
    for (const r of elements(mdv, 'StudyEventRef')) assert.ok(events.has(r.attributes.StudyEventOID!));
    for (const r of elements(mdv, 'FormRef')) assert.ok(forms.has(r.attributes.FormOID!));
    for (const r of elements(mdv, 'ItemGroupRef')) assert.ok(groups.has(r.attributes.ItemGroupOID!));
    for (const r of elements(mdv, 'ItemRef')) assert.ok(items.has(r.attributes.ItemOID!));
    for (const r of elements(mdv, 'CodeListRef')) assert.ok(codeLists.has(r.attributes.CodeListOID!));
    for (const it of items.values()) assert.ok(['integer', 'float', 'text', 'date'].includes(it.attributes.DataType!), it.attributes.OID);
    const clinical = child(root, 'ClinicalData')[0]!;
    assert.deepEqual([clinical.attributes.StudyOID, clinical.attributes.MetaDataVersionOID], [study.attributes.OID, mdv.attributes.OID]);
    assert.deepEqual(child(clinical, 'SubjectData').map((s) => s.attributes.SubjectKey), ['LYON-0001', 'LYON-0002', 'PARIS-0001']);
    const refsOf = (e: XmlElement, name: string, attr: string): Set<string> => new Set(child(e, name).map((r) => r.attributes[attr]!));
    for (const se of elements(clinical, 'StudyEventData')) {
      const sdef = events.get(se.attributes.StudyEventOID!)!;
      for (const fd of child(se, 'FormData')) {
        assert.ok(refsOf(sdef, 'FormRef', 'FormOID').has(fd.attributes.FormOID!), `${fd.attributes.FormOID} belongs to ${se.attributes.StudyEventOID}`);
        assert.match(fd.attributes.FormRepeatKey!, /^[1-9]\d*$/);
        for (const ig of child(fd, 'ItemGroupData')) {
          assert.ok(refsOf(forms.get(fd.attributes.FormOID!)!, 'ItemGroupRef', 'ItemGroupOID').has(ig.attributes.ItemGroupOID!));
          const allowed = refsOf(groups.get(ig.attributes.ItemGroupOID!)!, 'ItemRef', 'ItemOID');
          for (const item of child(ig, 'ItemData')) {
            assert.ok(allowed.has(item.attributes.ItemOID!), item.attributes.ItemOID);
            const idef = items.get(item.attributes.ItemOID!)!;
            if (item.attributes.IsNull === 'Yes') {
              assert.equal(item.attributes.Value, undefined);
              continue;
            }
            const v = item.attributes.Value!;
            const pattern = { integer: /^-?\d+$/, float: /^-?\d+(\.\d+)?$/, date: /^\d{4}-\d{2}-\d{2}$/, text: /^/ }[idef.attributes.DataType as 'integer'];
            assert.match(v, pattern, `${idef.attributes.OID} = ${v}`);
            const cl = child(idef, 'CodeListRef')[0];
            if (cl !== undefined) assert.ok(elements(codeLists.get(cl.attributes.CodeListOID!)!, 'CodeListItem').some((c) => c.attributes.CodedValue === v), `${v} is a code of ${cl.attributes.CodeListOID}`);
          }
        }
      }
    }
  });

  test(`every cell of every form table round-trips through ItemData (${options.identified === true ? 'identified, with text' : 'de-identified'})`, () => {
    const { root, tables } = build(options);
    const seen = new Map<string, string>();
    let formData = 0;
    for (const sd of elements(root, 'SubjectData')) {
      for (const fd of elements(sd, 'FormData')) {
        formData++;
        const formId = fd.attributes.FormOID!.slice(2);
        for (const item of elements(fd, 'ItemData')) {
          const column = item.attributes.ItemOID!.slice(`I.${formId}.`.length);
          const value = item.attributes.IsNull === 'Yes' ? elements(item, 'Comment')[0]!.text : item.attributes.Value!;
          seen.set(`${formId}|${sd.attributes.SubjectKey}|${fd.attributes.FormRepeatKey}|${column}`, value);
        }
      }
    }
    let rows = 0;
    let cells = 0;
    for (const t of tables.slice(1)) {
      const formId = t.path.slice('forms/'.length, -'.csv'.length);
      for (const row of t.rows) {
        rows++;
        t.columns.slice(2).forEach((col, i) => {
          const key = `${formId}|${row[0]}|${row[1]}|${col}`;
          assert.equal(seen.get(key) ?? '', row[i + 2], key);
          if (row[i + 2] !== '') cells++;
          seen.delete(key);
        });
      }
    }
    assert.equal(formData, rows);
    assert.deepEqual([...seen.keys()], [], 'no ItemData without a CSV cell');
    assert.ok(cells > 20);
  });
}

test('hand-checked values: text with markup characters, a missing code, day counts, calendar dates only when identified', () => {
  const find = (root: XmlElement, oid: string): XmlElement[] => elements(root, 'ItemData').filter((e) => e.attributes.ItemOID === oid);
  const de = build({}).root;
  assert.deepEqual(find(de, 'I.ici_line.regimen_other'), []);
  assert.deepEqual(find(de, 'I.ici_line.first_dose_date_day').map((e) => e.attributes.Value), ['0', '100', '0']);
  assert.deepEqual(find(de, 'I.ici_line.first_dose_date'), []);
  assert.deepEqual(find(de, 'I.baseline.afp_ng_ml').map((e) => [e.attributes.IsNull, elements(e, 'Comment')[0]!.text]), [['Yes', 'NOT_DONE']]);
  assert.deepEqual(find(de, 'I.baseline.aetiology___alcohol').map((e) => e.attributes.Value), ['1']);
  const full = build({ identified: true, includeText: true }).root;
  assert.deepEqual(find(full, 'I.ici_line.regimen_other').map((e) => e.attributes.Value), ['Trial drug "A&B" <phase 2>']);
  assert.deepEqual(find(full, 'I.ici_line.first_dose_date').map((e) => e.attributes.Value), ['2025-01-10', '2025-04-20', '2024-11-02']);
});

test('the test parser is strict: malformed XML is refused', () => {
  assert.deepEqual(parseXml('<?xml version="1.0"?><a x="1 &amp; 2"><b/>t&lt;</a>').attributes, { x: '1 & 2' });
  for (const bad of ['<a><b></a></b>', '<a x="1" x="2"/>', '<a>1 & 2</a>', '<a x=1/>', '<a/><b/>', '<a>', 'text<a/>', '<a x="<"/>', '<a>&nbsp;</a>']) {
    assert.throws(() => parseXml(bad), SyntaxError, bad);
  }
});
