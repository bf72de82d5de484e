// oncosurv registry: progressive enhancement only. Every page reads and every form saves without
// this script; with it, form entry gains live branching (show_if) with a notice when a hidden
// field is cleared, "not done / unknown" disabling the value, a draft of unsaved input kept in
// this tab (sessionStorage) so nothing is lost when the session expires, and Ctrl+Enter to save.
/* global window, document */
(function () {
  'use strict';

  function fieldValue(form, id) {
    var inputs = form.querySelectorAll('[name="f.' + id + '"]');
    var missing = form.querySelector('[name="m.' + id + '"]');
    if (missing && missing.value !== '') return { missing: missing.value };
    if (inputs.length === 0) return undefined;
    var first = inputs[0];
    if (first.type === 'checkbox') {
      var list = [];
      inputs.forEach(function (i) { if (i.checked) list.push(i.value); });
      return list.length === 0 ? undefined : list;
    }
    if (first.type === 'radio') {
      var v;
      inputs.forEach(function (i) { if (i.checked) v = i.value; });
      return v;
    }
    return first.value.trim() === '' ? undefined : first.value;
  }

  function holds(cond, valueOf) {
    if (cond.all) return cond.all.every(function (c) { return holds(c, valueOf); });
    if (cond.any) return cond.any.some(function (c) { return holds(c, valueOf); });
    var v = valueOf(cond.field);
    if (cond.filled) return v !== undefined && !(v && v.missing);
    var wanted = cond.equals !== undefined ? [cond.equals] : cond.in;
    if (Array.isArray(v)) return v.some(function (x) { return wanted.indexOf(x) >= 0; });
    return typeof v === 'string' && wanted.indexOf(v) >= 0;
  }

  function clearField(wrapper) {
    var had = false;
    wrapper.querySelectorAll('input, select, textarea').forEach(function (el) {
      if (el.type === 'radio' || el.type === 'checkbox') { if (el.checked) { had = true; el.checked = false; } }
      else if (el.tagName === 'SELECT') { if (el.value !== '') { had = true; el.value = ''; } }
      else if (el.value !== '') { had = true; el.value = ''; }
    });
    return had;
  }

  function labelOf(wrapper) {
    var l = wrapper.querySelector('.field-label');
    if (!l) return wrapper.getAttribute('data-field');
    var copy = l.cloneNode(true);
    copy.querySelectorAll('.req, .visually-hidden, .unit').forEach(function (n) { n.remove(); });
    return copy.textContent.trim();
  }

  function applyBranching(form, announce) {
    var conditional = form.querySelectorAll('.field[data-show-if]');
    var cleared = [];
    for (var pass = 0; pass < 5; pass++) {
      var changed = false;
      conditional.forEach(function (wrapper) {
        var cond = JSON.parse(wrapper.getAttribute('data-show-if'));
        var visible = holds(cond, function (id) {
          var w = form.querySelector('.field[data-field="' + id + '"]');
          if (w && w.hidden) return undefined;
          return fieldValue(form, id);
        });
        if (!visible && !wrapper.hidden) {
          wrapper.hidden = true;
          changed = true;
          if (clearField(wrapper)) cleared.push(labelOf(wrapper));
        } else if (visible && wrapper.hidden) {
          wrapper.hidden = false;
          changed = true;
        }
      });
      if (!changed) break;
    }
    if (announce && cleared.length > 0) {
      var live = form.querySelector('.branch-live');
      if (live) {
        live.textContent = 'Cleared ' + cleared.map(function (c) { return '\u201c' + c + '\u201d'; }).join(', ') +
          (cleared.length === 1 ? ': it no longer applies.' : ': they no longer apply.');
        live.hidden = false;
      }
    }
  }

  function applyMissing(form) {
    form.querySelectorAll('select.missing').forEach(function (sel) {
      var id = sel.name.slice(2);
      var set = sel.value !== '';
      sel.classList.toggle('is-set', set);
      form.querySelectorAll('[name="f.' + id + '"]').forEach(function (el) {
        if (form.dataset.locked === 'true') return;
        el.disabled = set;
      });
    });
  }

  function serialise(form) {
    var out = {};
    form.querySelectorAll('input, select, textarea').forEach(function (el) {
      if (!el.name || el.name === '_csrf' || el.type === 'hidden' || el.type === 'password') return;
      if (el.type === 'radio' || el.type === 'checkbox') { if (el.checked) (out[el.name] = out[el.name] || []).push(el.value); }
      else out[el.name] = [el.value];
    });
    return JSON.stringify(out);
  }

  function restore(form, state) {
    var data = JSON.parse(state);
    form.querySelectorAll('input, select, textarea').forEach(function (el) {
      if (!el.name || el.name === '_csrf' || el.type === 'hidden' || el.type === 'password') return;
      var v = data[el.name] || [];
      if (el.type === 'radio' || el.type === 'checkbox') el.checked = v.indexOf(el.value) >= 0;
      else el.value = v.length > 0 ? v[0] : '';
    });
  }

  function draftKey(form) { return 'oncosurv-draft:' + form.getAttribute('data-draft'); }

  function setupEntry(form) {
    var key = draftKey(form);
    var pristine = serialise(form);
    var saved = null;
    // After a refused save the server shows the user's own input: no draft to restore then.
    if (form.dataset.fresh !== 'true') {
      try { saved = window.sessionStorage.getItem(key); } catch { saved = null; }
    }
    if (saved && saved !== pristine) {
      restore(form, saved);
      var note = form.querySelector('.draft-notice');
      if (note) note.hidden = false;
    }
    applyMissing(form);
    applyBranching(form, false);
    form.addEventListener('change', function () { applyMissing(form); applyBranching(form, true); store(); });
    form.addEventListener('input', function () { applyBranching(form, true); store(); });
    function store() {
      try { window.sessionStorage.setItem(key, serialise(form)); } catch { /* storage full or disabled */ }
    }
    var discard = form.querySelector('[data-discard-draft]');
    if (discard) discard.addEventListener('click', function () {
      try { window.sessionStorage.removeItem(key); } catch { /* ignore */ }
      window.location.reload();
    });
    form.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        var submit = form.querySelector('button[type="submit"].btn-primary');
        if (submit) submit.click();
      }
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-clear-draft]').forEach(function (el) {
      try { window.sessionStorage.removeItem('oncosurv-draft:' + el.getAttribute('data-clear-draft')); } catch { /* ignore */ }
    });
    document.querySelectorAll('form.entry-form').forEach(setupEntry);
    var firstError = document.querySelector('.error-summary');
    if (firstError) firstError.focus();
  });
})();
