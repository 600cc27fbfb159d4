// The jetmesh web page: submit files through the gateway's REST API, follow each job's Server-Sent Events, show
// the result, and watch the mesh. Plain DOM code, no external assets; everything from the server is inserted as
// text or through the escaping Markdown renderer.
(function () {
  'use strict';
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var esc = window.JetmeshMarkdown.escape;
  var KEY_STORE = 'jetmesh.apiKey';
  var state = { admin: false, services: [], meshTimer: null };

  // ---------------------------------------------------------------- auth and fetch

  function authHeaders(extra) {
    var h = extra || {};
    var key = $('#api-key').value.trim();
    if (key) { h['Authorization'] = 'Bearer ' + key; }
    return h;
  }

  function api(path, opts) {
    opts = opts || {};
    opts.headers = authHeaders(opts.headers);
    return fetch(path, opts).then(function (r) {
      var ct = r.headers.get('Content-Type') || '';
      var body = ct.indexOf('json') >= 0 ? r.json() : r.text();
      return body.then(function (b) { return { status: r.status, ok: r.ok, body: b, headers: r.headers }; });
    });
  }

  function errorText(resp) {
    var e = resp.body && resp.body.error;
    return e ? e.message + ' (' + e.code + ', HTTP ' + resp.status + ')' : 'HTTP ' + resp.status;
  }

  function loadWhoami() {
    return api('/v1/whoami').then(function (r) {
      if (r.ok) {
        state.admin = r.body.scopes.indexOf('admin') >= 0;
        $('#whoami').textContent = r.body.auth_enabled ? r.body.id : 'auth off (local development)';
      } else {
        state.admin = false;
        $('#whoami').textContent = r.status === 401 ? 'enter an API key' : errorText(r);
      }
      return r;
    });
  }

  // ---------------------------------------------------------------- services and options

  function loadServices() {
    return api('/v1/services').then(function (r) {
      if (!r.ok) { $('#form-error').textContent = errorText(r); return; }
      $('#form-error').textContent = '';
      state.services = r.body.services;
      var sel = $('#subject');
      var want = new URLSearchParams(location.search).get('subject') || sel.value || r.body.sync.convert;
      sel.textContent = '';
      r.body.services.forEach(function (s) {
        var group = document.createElement('optgroup');
        group.label = s.namespace + ' \u2014 ' + s.description;
        s.subjects.forEach(function (subj) {
          var o = document.createElement('option');
          o.value = subj;
          o.textContent = subj;
          group.appendChild(o);
        });
        sel.appendChild(group);
      });
      if (want) { sel.value = want; }
      if (!sel.value && sel.options.length) { sel.selectedIndex = 0; }
      showOptions();
    });
  }

  function showOptions() {
    var subject = $('#subject').value || '';
    $('#opts-convert').classList.toggle('hidden', subject !== 'pdf.docling.convert');
    $('#opts-ocr').classList.toggle('hidden', subject !== 'image.process.ocr');
  }

  function collectOptions() {
    var subject = $('#subject').value;
    var opts = {};
    if (subject === 'pdf.docling.convert') {
      opts.to_formats = Array.prototype.map.call(document.querySelectorAll('input[name=to_formats]:checked'), function (c) { return c.value; });
      opts.do_ocr = $('#opt-ocr').checked;
    }
    if (subject === 'image.process.ocr' && $('#opt-lang').value.trim()) {
      opts.lang = $('#opt-lang').value.trim();
    }
    var extra = $('#opt-json').value.trim();
    if (extra) {
      var parsed = JSON.parse(extra);
      if (typeof parsed !== 'object' || Array.isArray(parsed) || parsed === null) { throw new Error('options must be a JSON object'); }
      Object.keys(parsed).forEach(function (k) { opts[k] = parsed[k]; });
    }
    return opts;
  }

  // ---------------------------------------------------------------- jobs

  function fmtBytes(n) {
    if (n < 1024) { return n + ' B'; }
    if (n < 1048576) { return (n / 1024).toFixed(1) + ' KiB'; }
    return (n / 1048576).toFixed(1) + ' MiB';
  }

  function newCard(file, subject) {
    var card = $('#job-card').content.firstElementChild.cloneNode(true);
    $('.name', card).textContent = file.name;
    $('.meta', card).textContent = subject + ' \u00b7 ' + fmtBytes(file.size);
    $('#jobs').insertBefore(card, $('#jobs').firstChild);
    return card;
  }

  function setState(card, st, message) {
    var b = $('.state', card);
    b.textContent = st;
    b.className = 'badge state ' + st;
    card.dataset.state = st;
    if (message !== undefined) { $('.message', card).textContent = message; }
  }

  function setProgress(card, fraction) {
    var fill = $('.fill', card);
    if (fraction < 0) { fill.classList.add('indeterminate'); return; }
    fill.classList.remove('indeterminate');
    fill.style.width = Math.round(Math.min(1, fraction) * 100) + '%';
  }

  function submitFile(file, subject, options) {
    var card = newCard(file, subject);
    setState(card, 'uploading', 'uploading\u2026');
    var form = new FormData();
    form.append('file', file, file.name);
    form.append('options', JSON.stringify(options));
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/v1/jobs/' + encodeURIComponent(subject));
    var h = authHeaders({});
    Object.keys(h).forEach(function (k) { xhr.setRequestHeader(k, h[k]); });
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) {
        setProgress(card, e.loaded / e.total * 0.1);
        $('.message', card).textContent = 'uploading ' + Math.round(e.loaded / e.total * 100) + '%';
      }
    };
    xhr.onerror = function () { setState(card, 'error', 'upload failed: network error'); };
    xhr.onload = function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      if (xhr.status !== 202 || !body) {
        setState(card, 'error', body && body.error ? body.error.message + ' (' + body.error.code + ')' : 'HTTP ' + xhr.status);
        setProgress(card, 0);
        return;
      }
      card.dataset.jobId = body.job_id;
      $('.meta', card).textContent = subject + ' \u00b7 ' + fmtBytes(file.size) + ' \u00b7 job ' + body.job_id;
      setState(card, 'queued', 'queued');
      setProgress(card, -1);
      follow(card, body.job_id);
    };
    xhr.send(form);
  }

  // Server-Sent Events over fetch, so the API key travels in a header rather than the URL.
  function follow(card, jobId) {
    fetch('/v1/jobs/' + jobId + '/events', { headers: authHeaders({ 'Accept': 'text/event-stream' }) }).then(function (r) {
      if (!r.ok) { return r.json().then(function (b) { setState(card, 'error', b.error ? b.error.message : 'HTTP ' + r.status); }); }
      var reader = r.body.getReader();
      var decoder = new TextDecoder();
      var buf = '';
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) { return; }
          buf += decoder.decode(chunk.value, { stream: true });
          var idx;
          while ((idx = buf.indexOf('\n\n')) >= 0) {
            var raw = buf.slice(0, idx);
            buf = buf.slice(idx + 2);
            var ev = 'message', data = [];
            raw.split('\n').forEach(function (line) {
              if (line.indexOf('event:') === 0) { ev = line.slice(6).trim(); }
              else if (line.indexOf('data:') === 0) { data.push(line.slice(5).replace(/^ /, '')); }
            });
            if (data.length) { onEvent(card, jobId, ev, JSON.parse(data.join('\n'))); }
          }
          return pump();
        });
      }
      return pump();
    }).catch(function (e) {
      if (card.dataset.state !== 'completed' && card.dataset.state !== 'failed') { setState(card, 'error', 'event stream: ' + e.message); }
    });
  }

  function onEvent(card, jobId, ev, data) {
    if (ev === 'status') {
      setState(card, data.state, data.state);
      if (data.progress) { onEvent(card, jobId, 'progress', data.progress); }
    } else if (ev === 'progress') {
      setState(card, 'running');
      var f = data.total > 0 ? data.current / data.total : -1;
      setProgress(card, f < 0 ? -1 : 0.1 + 0.9 * f);
      $('.message', card).textContent = data.total > 0
        ? data.current + ' of ' + data.total + ' ' + (data.unit || '') + (data.message ? ' \u2014 ' + data.message : '')
        : (data.message || 'running');
    } else if (ev === 'result') {
      if (data.status === 'completed') {
        setProgress(card, 1);
        setState(card, 'completed', 'done by ' + (data.worker || 'a worker') + (data.attempts > 1 ? ' after ' + data.attempts + ' attempts' : ''));
        api(data.links.result).then(function (r) {
          if (r.status === 200) { showResult(card, r.body); } else { $('.message', card).textContent = errorText(r); }
        });
      } else {
        setProgress(card, 0);
        var e = data.error || {};
        setState(card, data.status, (e.code || '') + ': ' + (e.message || data.status));
      }
    } else if (ev === 'error') {
      setState(card, 'error', data.message);
    }
  }

  // ---------------------------------------------------------------- results

  function tableHtml(t) {
    var rows = t.num_rows || 0, cols = t.num_cols || 0;
    if (Array.isArray(t.cells) && t.cells.length && rows && cols) {
      var covered = {}, html = '<table class="data"><tbody>';
      var byPos = {};
      t.cells.forEach(function (c) { byPos[c.row + ':' + c.col] = c; });
      for (var r = 0; r < rows; r++) {
        html += '<tr>';
        for (var c = 0; c < cols; c++) {
          if (covered[r + ':' + c]) { continue; }
          var cell = byPos[r + ':' + c];
          if (!cell) { html += '<td></td>'; continue; }
          var rs = Math.max(1, cell.row_span || 1), cs = Math.max(1, cell.col_span || 1);
          for (var i = 0; i < rs; i++) { for (var j = 0; j < cs; j++) { covered[(r + i) + ':' + (c + j)] = true; } }
          var tag = cell.column_header || cell.row_header ? 'th' : 'td';
          html += '<' + tag + (rs > 1 ? ' rowspan="' + rs + '"' : '') + (cs > 1 ? ' colspan="' + cs + '"' : '') + '>' + esc(cell.text || '') + '</' + tag + '>';
        }
        html += '</tr>';
      }
      return html + '</tbody></table>';
    }
    var grid = t.grid || t.rows || t.data;
    if (Array.isArray(grid)) {
      return '<table class="data"><tbody>' + grid.map(function (row) {
        return '<tr>' + (Array.isArray(row) ? row : [row]).map(function (v) {
          return '<td>' + esc(typeof v === 'object' && v !== null ? (v.text || JSON.stringify(v)) : v) + '</td>';
        }).join('') + '</tr>';
      }).join('') + '</tbody></table>';
    }
    return '<pre>' + esc(JSON.stringify(t, null, 2)) + '</pre>';
  }

  function textOf(out) {
    if (typeof out.text === 'string') { return out.text; }
    if (Array.isArray(out.pages) && out.pages.length && typeof out.pages[0].text === 'string') {
      return out.pages.map(function (p) { return (p.page_no ? '--- page ' + p.page_no + ' ---\n' : '') + p.text; }).join('\n\n');
    }
    if (Array.isArray(out.lines)) { return out.lines.map(function (l) { return l.text; }).join('\n'); }
    return null;
  }

  function download(name, href, blob) {
    var a = document.createElement('a');
    a.textContent = '\u2b07 ' + name;
    a.href = '#';
    a.addEventListener('click', function (e) {
      e.preventDefault();
      var p = blob ? Promise.resolve(blob) : fetch(href, { headers: authHeaders({}) }).then(function (r) {
        if (!r.ok) { throw new Error('HTTP ' + r.status); }
        return r.blob();
      });
      p.then(function (b) {
        var url = URL.createObjectURL(b);
        var tmp = document.createElement('a');
        tmp.href = url;
        tmp.download = name;
        document.body.appendChild(tmp);
        tmp.click();
        tmp.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
      }).catch(function (err) { a.textContent = name + ': ' + err.message; });
    });
    return a;
  }

  function showResult(card, result) {
    var out = result.output || {};
    var views = [];
    var stem = ($('.name', card).textContent || 'result').replace(/\.[^.]+$/, '');
    if (typeof out.markdown === 'string') {
      views.push(['Markdown', function (el) { el.className = 'rbody markdown'; el.innerHTML = window.JetmeshMarkdown.render(out.markdown); }]);
    }
    var tables = Array.isArray(out.tables) ? out.tables : null;
    if (tables && tables.length) {
      views.push(['Tables (' + tables.length + ')', function (el) {
        el.className = 'rbody';
        el.innerHTML = tables.map(function (t, i) {
          return '<h4>Table ' + (i + 1) + (t.page_no ? ' \u00b7 page ' + esc(t.page_no) : '') + '</h4><div class="table-wrap">' + tableHtml(t) + '</div>';
        }).join('');
      }]);
    }
    var text = textOf(out);
    if (text !== null) {
      views.push(['Text', function (el) { el.className = 'rbody'; el.innerHTML = '<pre>' + esc(text) + '</pre>'; }]);
    }
    views.push(['JSON', function (el) { el.className = 'rbody'; el.innerHTML = '<pre class="json">' + esc(JSON.stringify(result, null, 2)) + '</pre>'; }]);
    var box = $('.result', card), nav = $('.rtabs', box), body = $('.rbody', box);
    nav.textContent = '';
    views.forEach(function (v, i) {
      var b = document.createElement('button');
      b.type = 'button';
      b.textContent = v[0];
      b.addEventListener('click', function () {
        Array.prototype.forEach.call(nav.children, function (x) { x.classList.remove('active'); });
        b.classList.add('active');
        v[1](body);
      });
      nav.appendChild(b);
      if (i === 0) { b.classList.add('active'); v[1](body); }
    });
    var dl = $('.downloads', box);
    dl.textContent = '';
    dl.appendChild(download(stem + '.result.json', null, new Blob([JSON.stringify(result, null, 2)], { type: 'application/json' })));
    if (typeof out.markdown === 'string') {
      dl.appendChild(download(stem + '.md', null, new Blob([out.markdown], { type: 'text/markdown' })));
    }
    if (text !== null) { dl.appendChild(download(stem + '.txt', null, new Blob([text], { type: 'text/plain' }))); }
    if (result.links && result.links.output) { dl.appendChild(download(stem + '.output.json', result.links.output)); }
    Object.keys(result.downloads || {}).forEach(function (name) { dl.appendChild(download(name, result.downloads[name])); });
    box.classList.remove('hidden');
  }

  // ---------------------------------------------------------------- mesh view

  function cell(tr, value, cls) {
    var td = document.createElement('td');
    if (cls) { td.className = cls; }
    td.textContent = value === undefined || value === null ? '' : String(value);
    tr.appendChild(td);
    return td;
  }

  function fill(tableSel, rows, emptyText, render) {
    var tbody = $(tableSel + ' tbody');
    tbody.textContent = '';
    if (!rows.length) {
      var tr = document.createElement('tr');
      var td = cell(tr, emptyText, 'muted');
      td.colSpan = $(tableSel + ' thead tr').children.length;
      tbody.appendChild(tr);
      return;
    }
    rows.forEach(function (r) { var tr = document.createElement('tr'); render(tr, r); tbody.appendChild(tr); });
  }

  function refreshMesh() {
    return api('/v1/mesh').then(function (r) {
      if (!r.ok) { $('#mesh-updated').textContent = errorText(r); return; }
      var m = r.body;
      $('#mesh-updated').textContent = 'updated ' + new Date().toLocaleTimeString();
      var perNs = {};
      m.workers.forEach(function (w) { perNs[w.namespace] = (perNs[w.namespace] || 0) + 1; });
      fill('#workers', m.workers, 'no workers answer service discovery', function (tr, w) {
        cell(tr, w.worker_id || w.instance);
        cell(tr, w.host);
        cell(tr, w.namespace);
        cell(tr, w.device);
        var ops = cell(tr, '', 'ops wrap');
        (w.operations || []).forEach(function (op) { var s = document.createElement('span'); s.textContent = op; ops.appendChild(s); });
        cell(tr, (w.in_flight !== undefined ? w.in_flight : '') + (w.concurrency ? ' / ' + w.concurrency : ''));
        cell(tr, w.completed);
        cell(tr, w.failed);
      });
      fill('#services', m.services, 'no services', function (tr, s) {
        cell(tr, s.namespace);
        cell(tr, s.stream);
        cell(tr, s.error ? 'n/a' : s.queued);
        cell(tr, s.error ? 'n/a' : s.in_progress);
        cell(tr, s.error ? '' : s.redelivered);
        cell(tr, perNs[s.namespace] || 0);
      });
      var dead = m.dead_letters || {};
      $('#dlq-count').textContent = dead.count !== undefined ? dead.count : '?';
      $('#dlq-note').textContent = state.admin ? '' : 'Replaying dead letters needs an admin key.';
      fill('#dlq', dead.recent || [], 'no dead letters', function (tr, d) {
        cell(tr, d.job_id);
        cell(tr, d.subject);
        cell(tr, d.attempts);
        cell(tr, d.reason, 'wrap');
        cell(tr, d.replays);
        var td = cell(tr, '');
        if (state.admin) {
          var b = document.createElement('button');
          b.type = 'button';
          b.className = 'small';
          b.textContent = 'Replay';
          b.addEventListener('click', function () {
            b.disabled = true;
            api('/v1/dlq/' + encodeURIComponent(d.job_id) + '/replay', { method: 'POST' }).then(function (rr) {
              b.textContent = rr.status === 202 ? 'replayed #' + rr.body.replay : errorText(rr);
            });
          });
          td.appendChild(b);
        }
      });
      fill('#failures', m.recent_failures || [], 'no recent failures', function (tr, f) {
        cell(tr, f.job_id);
        cell(tr, f.subject);
        cell(tr, f.status);
        cell(tr, f.code);
        cell(tr, f.message, 'wrap');
        cell(tr, f.finished_at ? new Date(f.finished_at).toLocaleTimeString() : '');
      });
    });
  }

  function showView(name) {
    Array.prototype.forEach.call(document.querySelectorAll('.tab[data-view]'), function (t) { t.classList.toggle('active', t.dataset.view === name); });
    $('#view-process').classList.toggle('hidden', name !== 'process');
    $('#view-mesh').classList.toggle('hidden', name !== 'mesh');
    clearInterval(state.meshTimer);
    if (name === 'mesh') {
      refreshMesh();
      state.meshTimer = setInterval(refreshMesh, 3000);
    }
    if (location.hash !== '#' + name) { history.replaceState(null, '', '#' + name); }
  }

  // ---------------------------------------------------------------- wiring

  function pickedFiles(files) {
    state.files = Array.prototype.slice.call(files || []);
    $('#picked').textContent = state.files.map(function (f) { return f.name + ' (' + fmtBytes(f.size) + ')'; }).join(', ');
  }

  document.addEventListener('DOMContentLoaded', function () {
    var key = $('#api-key');
    key.value = localStorage.getItem(KEY_STORE) || '';
    key.addEventListener('change', function () {
      localStorage.setItem(KEY_STORE, key.value.trim());
      loadWhoami().then(loadServices);
    });
    Array.prototype.forEach.call(document.querySelectorAll('.tab[data-view]'), function (t) {
      t.addEventListener('click', function () { showView(t.dataset.view); });
    });
    $('#subject').addEventListener('change', showOptions);
    $('#files').addEventListener('change', function (e) { pickedFiles(e.target.files); });
    var drop = $('#drop');
    ['dragenter', 'dragover'].forEach(function (t) { drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add('over'); }); });
    ['dragleave', 'drop'].forEach(function (t) { drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.remove('over'); }); });
    drop.addEventListener('drop', function (e) { pickedFiles(e.dataTransfer.files); });
    $('#job-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var err = $('#form-error');
      err.textContent = '';
      if (!state.files || !state.files.length) { err.textContent = 'Choose or drop at least one file.'; return; }
      var options;
      try { options = collectOptions(); } catch (ex) { err.textContent = 'Options: ' + ex.message; return; }
      var subject = $('#subject').value;
      state.files.forEach(function (f) { submitFile(f, subject, options); });
      $('#files').value = '';
      pickedFiles([]);
    });
    loadWhoami().then(loadServices);
    showView(location.hash === '#mesh' ? 'mesh' : 'process');
  });
})();
