// Lists every element of the report that reaches past the page or its parent box, and every
// box whose content is cut or scrolled sideways; used by tests/test_browser.py.
window.addEventListener('load', function () {
  document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  var page = document.documentElement.clientWidth;
  var problems = [];
  function name(el) {
    var s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (el.className && typeof el.className === 'string') s += '.' + el.className.split(' ').join('.');
    return s;
  }
  document.body.querySelectorAll('*').forEach(function (el) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') return;
    if (el.tagName.toLowerCase() === 'script') return;
    var r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return;
    if (r.right > page + 1) problems.push(name(el) + ' ends at ' + Math.round(r.right) + 'px, page is ' + page + 'px');
    var p = el.parentElement;
    if (p && p !== document.body) {
      var q = p.getBoundingClientRect();
      if (r.right > q.right + 1 || r.left < q.left - 1)
        problems.push(name(el) + ' outside its parent ' + name(p) + ' (' + Math.round(r.left) + '-' + Math.round(r.right) + ' vs ' + Math.round(q.left) + '-' + Math.round(q.right) + ')');
    }
    if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && getComputedStyle(el).display !== 'inline')
      problems.push(name(el) + ' content ' + el.scrollWidth + 'px wide in a ' + el.clientWidth + 'px box');
  });
  var out = document.createElement('pre');
  out.id = 'layout-problems';
  out.textContent = JSON.stringify(problems);
  document.body.appendChild(out);
});
