// Operator's small browser helpers (no inline scripts: the CSP allows only 'self').
window.operator = {
    focus: (id) => { const el = document.getElementById(id); if (el) { el.focus(); el.select && el.select(); } },
};
