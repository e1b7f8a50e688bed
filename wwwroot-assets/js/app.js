// Operator's small browser helpers (no inline scripts: the CSP allows only 'self').
window.operator = {
    // The layout calls this once its circuit is up: browser tests wait for it before clicking.
    markInteractive: () => { document.body.dataset.interactive = "1"; },
    focus: (id) => { const el = document.getElementById(id); if (el) { el.focus(); el.select && el.select(); } },
};
