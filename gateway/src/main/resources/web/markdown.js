// A small, safe Markdown renderer for job results (docling-style Markdown: headings, paragraphs, lists, pipe
// tables, code, quotes, emphasis, links, image placeholders). Every piece of source text is HTML-escaped before
// any markup is added, and only http(s), mailto and relative links become hrefs: the output cannot run script.
(function (global) {
  'use strict';

  function esc(s) {
    return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  }

  function safeHref(url) {
    var u = String(url).trim();
    if (/^(https?:|mailto:)/i.test(u) || /^[#/.]/.test(u) || !/^[a-z][a-z0-9+.-]*:/i.test(u)) {
      return esc(u);
    }
    return null;
  }

  // Inline spans on one line of source. Code spans are cut out first so their content stays literal.
  function inline(src) {
    var parts = String(src).split(/(`+[^`]*`+)/);
    return parts.map(function (p, i) {
      if (i % 2 === 1) {
        return '<code>' + esc(p.replace(/^`+|`+$/g, '')) + '</code>';
      }
      var s = esc(p);
      s = s.replace(/&lt;!--\s*image\s*--&gt;/gi, '<span class="md-img">[image]</span>');
      s = s.replace(/!\[([^\]]*)\]\(([^)\s]*)[^)]*\)/g, function (m, alt) {
        return '<span class="md-img">[image' + (alt ? ': ' + alt : '') + ']</span>';
      });
      s = s.replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, function (m, text, href) {
        var h = safeHref(href.replace(/&amp;/g, '&'));
        return h ? '<a href="' + h + '" rel="noopener noreferrer" target="_blank">' + text + '</a>' : text;
      });
      s = s.replace(/\*\*([^*]+)\*\*|__([^_]+)__/g, function (m, a, b) { return '<strong>' + (a || b) + '</strong>'; });
      s = s.replace(/(^|[^*\w])\*([^*\s][^*]*)\*(?!\w)|(^|[^_\w])_([^_\s][^_]*)_(?!\w)/g, function (m, p1, a, p3, b) {
        return (p1 || p3 || '') + '<em>' + (a || b) + '</em>';
      });
      s = s.replace(/~~([^~]+)~~/g, '<del>$1</del>');
      return s;
    }).join('');
  }

  function splitRow(line) {
    var t = line.trim();
    if (t.charAt(0) === '|') { t = t.slice(1); }
    if (t.charAt(t.length - 1) === '|' && t.charAt(t.length - 2) !== '\\') { t = t.slice(0, -1); }
    var cells = [], cur = '';
    for (var i = 0; i < t.length; i++) {
      if (t.charAt(i) === '\\' && t.charAt(i + 1) === '|') { cur += '|'; i++; }
      else if (t.charAt(i) === '|') { cells.push(cur.trim()); cur = ''; }
      else { cur += t.charAt(i); }
    }
    cells.push(cur.trim());
    return cells;
  }

  var TABLE_SEP = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/; // GFM: one dash is enough (docling writes "| - |")
  var LIST = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;

  function render(md) {
    var lines = String(md || '').replace(/\r\n?/g, '\n').split('\n');
    var out = [];
    var i = 0;
    while (i < lines.length) {
      var line = lines[i];
      var m;
      if (/^\s*$/.test(line)) { i++; continue; }
      if ((m = /^\s*(```+|~~~+)\s*([\w-]*)\s*$/.exec(line))) {
        var fence = m[1], code = [];
        i++;
        while (i < lines.length && lines[i].trim().indexOf(fence) !== 0) { code.push(lines[i]); i++; }
        i++;
        out.push('<pre><code' + (m[2] ? ' class="lang-' + esc(m[2]) + '"' : '') + '>' + esc(code.join('\n')) + '</code></pre>');
        continue;
      }
      if ((m = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line))) {
        var n = m[1].length;
        out.push('<h' + n + '>' + inline(m[2]) + '</h' + n + '>');
        i++;
        continue;
      }
      if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) { out.push('<hr>'); i++; continue; }
      if (line.indexOf('|') >= 0 && i + 1 < lines.length && TABLE_SEP.test(lines[i + 1])) {
        var head = splitRow(line);
        var html = '<div class="md-table"><table><thead><tr>' + head.map(function (c) { return '<th>' + inline(c) + '</th>'; }).join('') + '</tr></thead><tbody>';
        i += 2;
        while (i < lines.length && lines[i].indexOf('|') >= 0 && !/^\s*$/.test(lines[i])) {
          var cells = splitRow(lines[i]);
          html += '<tr>' + cells.map(function (c) { return '<td>' + inline(c) + '</td>'; }).join('') + '</tr>';
          i++;
        }
        out.push(html + '</tbody></table></div>');
        continue;
      }
      if (/^\s{0,3}>/.test(line)) {
        var quote = [];
        while (i < lines.length && /^\s{0,3}>/.test(lines[i])) { quote.push(lines[i].replace(/^\s{0,3}>\s?/, '')); i++; }
        out.push('<blockquote>' + render(quote.join('\n')) + '</blockquote>');
        continue;
      }
      if (LIST.test(line)) {
        out.push(renderList(lines, i, function (next) { i = next; }));
        continue;
      }
      var para = [];
      while (i < lines.length && !/^\s*$/.test(lines[i]) && !/^\s{0,3}(#{1,6}\s|```|~~~|>)/.test(lines[i])
             && !LIST.test(lines[i]) && !(lines[i].indexOf('|') >= 0 && i + 1 < lines.length && TABLE_SEP.test(lines[i + 1]))) {
        para.push(inline(lines[i].trim()));
        i++;
      }
      out.push('<p>' + para.join('<br>') + '</p>');
    }
    return out.join('\n');
  }

  // A list starting at lines[start], nesting by indentation.
  function renderList(lines, start, setNext) {
    var first = LIST.exec(lines[start]);
    var indent = first[1].length;
    var ordered = /\d/.test(first[2]);
    var html = ordered ? '<ol' + (parseInt(first[2], 10) !== 1 ? ' start="' + parseInt(first[2], 10) + '"' : '') + '>' : '<ul>';
    var i = start;
    while (i < lines.length) {
      var m = LIST.exec(lines[i]);
      if (!m || m[1].length < indent || (m[1].length === indent && /\d/.test(m[2]) !== ordered)) { break; }
      if (m[1].length > indent) {
        html = html.replace(/<\/li>$/, '');
        html += renderList(lines, i, function (n) { i = n; }) + '</li>';
        continue;
      }
      html += '<li>' + inline(m[3]) + '</li>';
      i++;
      while (i < lines.length && /^\s+\S/.test(lines[i]) && !LIST.test(lines[i])) {
        html = html.replace(/<\/li>$/, ' ' + inline(lines[i].trim()) + '</li>');
        i++;
      }
      if (i < lines.length && /^\s*$/.test(lines[i]) && i + 1 < lines.length && LIST.test(lines[i + 1])
          && LIST.exec(lines[i + 1])[1].length >= indent) {
        i++;
      }
    }
    setNext(i);
    return html + (ordered ? '</ol>' : '</ul>');
  }

  global.JetmeshMarkdown = { render: render, escape: esc };
})(typeof window !== 'undefined' ? window : this);
