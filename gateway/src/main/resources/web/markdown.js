// Markdown of job results (docling-style: headings, paragraphs, nested lists, pipe tables, code, quotes, links,
// picture placeholders) rendered by markdown-it (CommonMark + GFM tables and strikethrough; markdown-it.js, vendored
// with its licence, see licenses/VERSIONS) and sanitised by DOMPurify (purify.js). Raw HTML in the source is shown
// as text (html: false), markdown-it refuses javascript:/vbscript:/file:/data: links, and DOMPurify drops anything
// that could still run script, so the output is safe for innerHTML. Pictures are shown as placeholders, never
// fetched: a result's Markdown may name any URL.
(function (global) {
  'use strict';

  function esc(s) {
    return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  }

  var md = global.markdownit({ html: false, linkify: true, typographer: false });

  // docling marks each picture with a line "<!-- image -->"; with html off it would show as literal text
  md.block.ruler.before('paragraph', 'docling_image', function (state, startLine, endLine, silent) {
    if (state.sCount[startLine] - state.blkIndent >= 4) {
      return false;
    }
    var line = state.src.slice(state.bMarks[startLine] + state.tShift[startLine], state.eMarks[startLine]);
    if (!/^<!--\s*image\s*-->\s*$/i.test(line)) {
      return false;
    }
    if (!silent) {
      var token = state.push('docling_image', '', 0);
      token.map = [startLine, startLine + 1];
    }
    state.line = startLine + 1;
    return true;
  }, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  md.renderer.rules.docling_image = function () { return '<p class="md-img">[image]</p>\n'; };
  md.renderer.rules.image = function (tokens, idx) {
    var alt = tokens[idx].content;
    return '<span class="md-img">[image' + (alt ? ': ' + esc(alt) : '') + ']</span>';
  };
  // wide tables scroll inside their own box instead of widening the page
  md.renderer.rules.table_open = function () { return '<div class="md-table"><table>\n'; };
  md.renderer.rules.table_close = function () { return '</table></div>\n'; };
  var linkOpen = md.renderer.rules.link_open || function (tokens, idx, options, env, self) {
    return self.renderToken(tokens, idx, options);
  };
  md.renderer.rules.link_open = function (tokens, idx, options, env, self) {
    tokens[idx].attrSet('target', '_blank');
    tokens[idx].attrSet('rel', 'noopener noreferrer');
    return linkOpen(tokens, idx, options, env, self);
  };

  function render(source) {
    var html = md.render(String(source == null ? '' : source));
    return global.DOMPurify.sanitize(html, { ADD_ATTR: ['target'], FORBID_TAGS: ['style', 'form', 'input', 'img'] });
  }

  global.JetmeshMarkdown = { render: render, escape: esc };
})(window);
