/**
 * The export's clinical data as CDISC ODM 1.3.2 XML (odm.xml, `--format odm`): the study definition as
 * metadata and every form instance as clinical data, with exactly the cells of forms/<form>.csv.
 *
 * Inputs: the study definition, the export's form tables (export-tables.ts: same de-identification,
 * so a de-identified ODM file holds day counts, never calendar dates), the options and the creation time.
 * Output: XML text. Structure (ODM 1.3.2 element order):
 *   ODM (FileOID, FileType="Snapshot", ODMVersion="1.3.2", CreationDateTime)
 *     Study OID="ST.<study>" > GlobalVariables (StudyName, StudyDescription, ProtocolName)
 *       MetaDataVersion OID="MDV.<version>" > Protocol (StudyEventRef*), StudyEventDef* (FormRef*),
 *         FormDef* (one ItemGroupRef), ItemGroupDef* (ItemRef*), ItemDef* (Question, CodeListRef?), CodeList*
 *     ClinicalData StudyOID MetaDataVersionOID > SubjectData SubjectKey=<study ID>
 *       > StudyEventData StudyEventOID > FormData FormOID FormRepeatKey=<instance> > ItemGroupData > ItemData*
 * Mapping: one event = StudyEventDef (once -> Common, scheduled -> Scheduled, unscheduled -> Unscheduled;
 * forms repeat inside it through FormRepeatKey); one form = FormDef with one ItemGroupDef; one CSV column
 * = one ItemDef "I.<form>.<column>" (date -> x_day integer [and x date when identified]; multichoice ->
 * one integer item per code with the 0/1 code list; choice and yes/no -> text with a CodeList; decimal ->
 * float). A blank cell writes no ItemData; an explicit missing value writes IsNull="Yes" with the code
 * (NOT_DONE / UNKNOWN) as the item's Annotation comment.
 * Reference: CDISC ODM 1.3.2 specification (2013), sections 3.1 (ODM), 3.2 (Study), 3.3 (ClinicalData).
 */
import type { FieldDefinition, StudyDefinition } from '../definition/schema.js';
import { exportedFields, fieldColumns, type ExportTable, type ExportTableOptions } from './export-tables.js';
import { MISSING_CELL } from './patient-columns.js';

export const ODM_NAMESPACE = 'http://www.cdisc.org/ns/odm/v1.3';
const MISSING_CODES = new Set<string>(Object.values(MISSING_CELL));

/** XML attribute/text escaping (the five predefined entities; control characters are dropped). */
export function xmlEscape(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function attrs(a: Record<string, string | undefined>): string {
  return Object.entries(a).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}="${xmlEscape(v!)}"`).join('');
}

interface ItemSpec { oid: string; column: string; name: string; label: string; dataType: string; codeList?: string; mandatory: boolean; text: boolean }

const CHECKBOX_CODELIST = 'CL.checkbox';
const YESNO_CODELIST = 'CL.yesno';

function itemsOf(formId: string, field: FieldDefinition, options: ExportTableOptions): ItemSpec[] {
  const columns = fieldColumns(field, options);
  const base = { mandatory: field.required, text: field.type === 'text' };
  if (field.type === 'multichoice') {
    return field.choices!.map((c, i) => ({ ...base, oid: `I.${formId}.${columns[i]}`, column: columns[i]!, name: columns[i]!, label: `${field.label}: ${c.label}`, dataType: 'integer', codeList: CHECKBOX_CODELIST }));
  }
  if (field.type === 'date') {
    return columns.map((col, i) => ({ ...base, oid: `I.${formId}.${col}`, column: col, name: col, label: i === 0 ? `${field.label} (days from the first ICI dose)` : field.label, dataType: i === 0 ? 'integer' : 'date' }));
  }
  const one = (dataType: string, codeList?: string): ItemSpec[] => [{ ...base, oid: `I.${formId}.${field.id}`, column: field.id, name: field.id, label: field.label, dataType, ...(codeList !== undefined ? { codeList } : {}) }];
  switch (field.type) {
    case 'integer': return one('integer');
    case 'decimal': return one('float');
    case 'text': return one('text');
    case 'choice': return one('text', `CL.${formId}.${field.id}`);
    case 'yesno': return one('text', YESNO_CODELIST);
    case 'derived': return 'days_between' in field.derived! ? one('integer') : one('text', YESNO_CODELIST);
  }
}

const EVENT_TYPE = { once: 'Common', scheduled: 'Scheduled', unscheduled: 'Unscheduled' } as const;

/** odm.xml for the export (see the header). `tables` are the export's tables (forms/<form>.csv among them). */
export function exportOdm(def: StudyDefinition, tables: ExportTable[], options: ExportTableOptions, created: Date, subjects: string[]): string {
  const out: string[] = [];
  const studyOid = `ST.${def.study}`;
  const mdvOid = `MDV.${def.version}`;
  const stamp = created.toISOString();
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<ODM${attrs({ xmlns: ODM_NAMESPACE, FileOID: `oncosurv.${def.study}.${stamp.replace(/[^0-9]/g, '')}`, FileType: 'Snapshot', ODMVersion: '1.3.2', CreationDateTime: stamp, SourceSystem: 'oncosurv' })}>`);
  out.push(`<Study${attrs({ OID: studyOid })}>`);
  out.push(`<GlobalVariables><StudyName>${xmlEscape(def.title)}</StudyName><StudyDescription>${xmlEscape(def.description ?? def.title)}</StudyDescription><ProtocolName>${xmlEscape(def.study)}</ProtocolName></GlobalVariables>`);
  out.push(`<MetaDataVersion${attrs({ OID: mdvOid, Name: `${def.study} ${def.version}`, Description: options.identified === true ? 'identified export' : 'de-identified export: dates as days from the first ICI dose' })}>`);
  out.push(`<Protocol>${def.events.map((e, i) => `<StudyEventRef${attrs({ StudyEventOID: `SE.${e.id}`, OrderNumber: String(i + 1), Mandatory: 'No' })}/>`).join('')}</Protocol>`);
  for (const e of def.events) {
    out.push(`<StudyEventDef${attrs({ OID: `SE.${e.id}`, Name: e.label, Repeating: 'No', Type: EVENT_TYPE[e.kind] })}>${e.forms.map((f, i) => `<FormRef${attrs({ FormOID: `F.${f}`, OrderNumber: String(i + 1), Mandatory: 'No' })}/>`).join('')}</StudyEventDef>`);
  }
  const itemsByForm = new Map<string, ItemSpec[]>();
  for (const form of def.forms) itemsByForm.set(form.id, exportedFields(form, options).flatMap((f) => itemsOf(form.id, f, options)));
  for (const form of def.forms) {
    out.push(`<FormDef${attrs({ OID: `F.${form.id}`, Name: form.label, Repeating: form.repeating ? 'Yes' : 'No' })}><ItemGroupRef${attrs({ ItemGroupOID: `IG.${form.id}`, Mandatory: 'Yes' })}/></FormDef>`);
  }
  for (const form of def.forms) {
    out.push(`<ItemGroupDef${attrs({ OID: `IG.${form.id}`, Name: form.label, Repeating: 'No' })}>${itemsByForm.get(form.id)!.map((it, i) => `<ItemRef${attrs({ ItemOID: it.oid, OrderNumber: String(i + 1), Mandatory: it.mandatory ? 'Yes' : 'No' })}/>`).join('')}</ItemGroupDef>`);
  }
  for (const form of def.forms) {
    for (const it of itemsByForm.get(form.id)!) {
      out.push(`<ItemDef${attrs({ OID: it.oid, Name: it.name, DataType: it.dataType })}><Question><TranslatedText xml:lang="en">${xmlEscape(it.label)}</TranslatedText></Question>${it.codeList !== undefined ? `<CodeListRef${attrs({ CodeListOID: it.codeList })}/>` : ''}</ItemDef>`);
    }
  }
  const codeList = (oid: string, name: string, items: [string, string][]): string =>
    `<CodeList${attrs({ OID: oid, Name: name, DataType: oid === CHECKBOX_CODELIST ? 'integer' : 'text' })}>${items.map(([c, l]) => `<CodeListItem${attrs({ CodedValue: c })}><Decode><TranslatedText xml:lang="en">${xmlEscape(l)}</TranslatedText></Decode></CodeListItem>`).join('')}</CodeList>`;
  out.push(codeList(CHECKBOX_CODELIST, 'Checkbox', [['0', 'Not chosen'], ['1', 'Chosen']]));
  out.push(codeList(YESNO_CODELIST, 'Yes / no', [['yes', 'Yes'], ['no', 'No']]));
  for (const form of def.forms) {
    for (const f of exportedFields(form, options)) if (f.type === 'choice') out.push(codeList(`CL.${form.id}.${f.id}`, f.label, f.choices!.map((c) => [c.code, c.label])));
  }
  out.push('</MetaDataVersion>', '</Study>');

  out.push(`<ClinicalData${attrs({ StudyOID: studyOid, MetaDataVersionOID: mdvOid })}>`);
  const rowsBySubject = new Map<string, Map<string, string[][]>>();
  const columnsByForm = new Map<string, string[]>();
  for (const t of tables) {
    const m = /^forms\/(.+)\.csv$/.exec(t.path);
    if (m === null) continue;
    columnsByForm.set(m[1]!, t.columns);
    for (const row of t.rows) {
      const bySubject = rowsBySubject.get(row[0]!) ?? rowsBySubject.set(row[0]!, new Map()).get(row[0]!)!;
      (bySubject.get(m[1]!) ?? bySubject.set(m[1]!, []).get(m[1]!)!).push(row);
    }
  }
  for (const subject of subjects) {
    out.push(`<SubjectData${attrs({ SubjectKey: subject })}>`);
    const forms = rowsBySubject.get(subject) ?? new Map<string, string[][]>();
    for (const e of def.events) {
      const present = e.forms.filter((f) => (forms.get(f)?.length ?? 0) > 0);
      if (present.length === 0) continue;
      out.push(`<StudyEventData${attrs({ StudyEventOID: `SE.${e.id}` })}>`);
      for (const formId of present) {
        const columns = columnsByForm.get(formId)!;
        const items = new Map(itemsByForm.get(formId)!.map((it) => [it.column, it]));
        for (const row of forms.get(formId)!) {
          const data = columns.slice(2).map((col, i) => {
            const value = row[i + 2]!;
            const it = items.get(col)!;
            if (value === '') return '';
            if (MISSING_CODES.has(value) && !it.text) return `<ItemData${attrs({ ItemOID: it.oid, IsNull: 'Yes' })}><Annotation SeqNum="1"><Comment>${value}</Comment></Annotation></ItemData>`;
            return `<ItemData${attrs({ ItemOID: it.oid, Value: value })}/>`;
          }).join('');
          out.push(`<FormData${attrs({ FormOID: `F.${formId}`, FormRepeatKey: row[1]! })}><ItemGroupData${attrs({ ItemGroupOID: `IG.${formId}` })}>${data}</ItemGroupData></FormData>`);
        }
      }
      out.push('</StudyEventData>');
    }
    out.push('</SubjectData>');
  }
  out.push('</ClinicalData>', '</ODM>');
  return out.join('\n') + '\n';
}
