// Renders /openapi.json as a readable page: one card per operation, grouped by tag. No external assets.
(function () {
  'use strict';
  var esc = window.JetmeshMarkdown.escape;
  var md = window.JetmeshMarkdown.render;

  function ref(schema) {
    if (!schema) { return ''; }
    if (schema.$ref) { var n = schema.$ref.split('/').pop(); return '<a href="#schema-' + esc(n) + '">' + esc(n) + '</a>'; }
    return esc(schema.type || 'object') + (schema.enum ? ' (' + esc(schema.enum.join(', ')) + ')' : '');
  }

  function op(method, path, o, globalSecurity) {
    var h = '<div class="op" id="' + esc(method + path) + '"><h3><span class="method ' + method + '">' + method.toUpperCase() + '</span>'
      + '<span class="path">' + esc(path) + '</span><span>' + esc(o.summary || '') + '</span>'
      + ((o.security || globalSecurity).length ? '<span class="lock">needs a key or token</span>' : '<span class="lock">public</span>') + '</h3>';
    if (o.description) { h += md(o.description); }
    if (o.parameters && o.parameters.length) {
      h += '<table><thead><tr><th>Parameter</th><th>In</th><th>Type</th><th>Description</th></tr></thead><tbody>'
        + o.parameters.map(function (p) {
          return '<tr><td><code>' + esc(p.name) + '</code>' + (p.required ? ' *' : '') + '</td><td>' + esc(p.in) + '</td><td>' + ref(p.schema) + '</td><td>' + esc(p.description || '') + '</td></tr>';
        }).join('') + '</tbody></table>';
    }
    if (o.requestBody) {
      h += '<p><strong>Body:</strong> ' + Object.keys(o.requestBody.content).map(function (ct) {
        var s = o.requestBody.content[ct].schema || {};
        var props = s.properties ? ' \u2014 fields: ' + Object.keys(s.properties).map(function (k) { return '<code>' + esc(k) + '</code>'; }).join(', ') : '';
        return '<code>' + esc(ct) + '</code> ' + ref(s) + props;
      }).join('<br>') + '</p>';
    }
    h += '<table><thead><tr><th>Status</th><th>Meaning</th></tr></thead><tbody>' + Object.keys(o.responses).map(function (code) {
      var r = o.responses[code];
      var schema = r.content && r.content['application/json'] && r.content['application/json'].schema;
      return '<tr><td><code>' + esc(code) + '</code></td><td>' + esc(r.description) + (schema && schema.$ref ? ' \u2014 ' + ref(schema) : '') + '</td></tr>';
    }).join('') + '</tbody></table></div>';
    return h;
  }

  fetch('/openapi.json').then(function (r) { return r.json(); }).then(function (doc) {
    document.getElementById('title').textContent = doc.info.title + ' (v' + doc.info.version + ')';
    document.getElementById('description').innerHTML = md(doc.info.description || '');
    var byTag = {};
    Object.keys(doc.paths).forEach(function (path) {
      Object.keys(doc.paths[path]).forEach(function (method) {
        var o = doc.paths[path][method];
        var tag = (o.tags && o.tags[0]) || 'other';
        (byTag[tag] = byTag[tag] || []).push(op(method, path, o, doc.security || []));
      });
    });
    var order = ['jobs', 'synchronous', 'mesh', 'operations', 'page'];
    var rank = function (t) { var i = order.indexOf(t); return i < 0 ? 99 : i; };
    var tags = Object.keys(byTag).sort(function (a, b) { return rank(a) - rank(b); });
    document.getElementById('toc').innerHTML = tags.map(function (t) { return '<a href="#tag-' + esc(t) + '">' + esc(t) + '</a>'; }).join('');
    document.getElementById('ops').innerHTML = tags.map(function (t) {
      return '<h2 class="tag" id="tag-' + esc(t) + '">' + esc(t) + '</h2>' + byTag[t].join('');
    }).join('');
    var schemas = (doc.components && doc.components.schemas) || {};
    document.getElementById('schemas').innerHTML = Object.keys(schemas).map(function (n) {
      return '<h3 id="schema-' + esc(n) + '">' + esc(n) + '</h3><pre class="schema">' + esc(JSON.stringify(schemas[n], null, 2)) + '</pre>';
    }).join('');
  });
})();
