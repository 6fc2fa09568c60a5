// Small progressive enhancements; every page also works without JavaScript.
"use strict";

function pollReport(box) {
  const url = box.dataset.reportStatus;
  const label = box.querySelector(".status-label");
  const text = box.querySelector(".progress-text");
  const bar = box.querySelector("progress");
  const tick = async () => {
    const res = await fetch(url, { headers: { Accept: "application/json" } });
    if (!res.ok) return;
    const r = await res.json();
    if (bar) { bar.max = r.total || 1; bar.value = r.done; }
    if (text) text.textContent = r.status === "running" ? `trang ${r.done}/${r.total}` : "";
    if (r.status === "done" || r.status === "failed") { window.location.reload(); return; }
    if (label) label.textContent = r.status === "running" ? "Đang đọc" : "Đang chờ xử lý";
    setTimeout(tick, 1500);
  };
  setTimeout(tick, 1500);
}

function uploadWithProgress(form) {
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const bar = form.querySelector("progress");
    const text = form.querySelector(".progress-text");
    const button = form.querySelector("button[type=submit]");
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.setRequestHeader("Accept", "application/json");
    bar.hidden = false; button.disabled = true;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); text.textContent = `Đang tải lên ${bar.value}%`; }
    };
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      if (xhr.status === 202) { text.textContent = "Đã lưu tệp. Đang chuyển tới hồ sơ…"; window.location.href = body.dossier_url; return; }
      button.disabled = false; bar.hidden = true;
      text.textContent = (body.error && body.error.message) || `Không tải lên được (mã ${xhr.status}).`;
      text.classList.add("field-error");
    };
    xhr.onerror = () => { button.disabled = false; text.textContent = "Mất kết nối tới máy chủ; tệp chưa được gửi. Hãy thử lại."; };
    xhr.send(new FormData(form));
  });
}

function pager(box) {
  const img = box.parentElement.querySelector(".page-img");
  const pages = Number(box.dataset.pages);
  const label = box.querySelector("[data-page]");
  let page = 1;
  const show = (p) => { page = Math.min(Math.max(1, p), pages); label.textContent = page; img.src = box.dataset.src.replace(/\/pages\/1\.png$/, `/pages/${page}.png`); };
  box.querySelector("[data-prev]").addEventListener("click", () => show(page - 1));
  box.querySelector("[data-next]").addEventListener("click", () => show(page + 1));
  document.querySelectorAll("[data-page]").forEach((el) => {
    if (el.tagName === "INPUT") el.addEventListener("focus", () => show(Number(el.dataset.page)));
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-report-status]").forEach((box) => {
    if (box.dataset.status === "queued" || box.dataset.status === "running") pollReport(box);
  });
  document.querySelectorAll("form[data-upload]").forEach(uploadWithProgress);
  document.querySelectorAll("[data-pager]").forEach(pager);
  document.querySelectorAll("[data-print]").forEach((b) => b.addEventListener("click", () => window.print()));
  document.querySelectorAll("[data-refresh]").forEach((el) => setTimeout(() => window.location.reload(), 1000 * Number(el.dataset.refresh)));
  document.querySelectorAll("[data-check-all]").forEach((all) => all.addEventListener("change", () => {
    document.querySelectorAll(`input[name="${all.dataset.checkAll}"]`).forEach((c) => { c.checked = all.checked; });
  }));
  document.querySelectorAll("[data-add-row]").forEach((btn) => btn.addEventListener("click", () => {
    const tbody = btn.closest("form").querySelector("[data-rows] tbody");
    const row = tbody.lastElementChild.cloneNode(true);
    row.querySelectorAll("input, textarea").forEach((i) => { i.value = ""; });
    tbody.appendChild(row);
  }));
  // a nominee row's "Xóa": the row goes (the last one left is emptied, so "Thêm dòng" has a row to copy)
  document.querySelectorAll("[data-rows] tbody").forEach((tbody) => tbody.addEventListener("click", (e) => {
    const btn = e.target.closest("[data-remove-row]");
    if (!btn) return;
    const row = btn.closest("tr");
    if (tbody.rows.length > 1) row.remove();
    else row.querySelectorAll("input, textarea").forEach((i) => { i.value = ""; });
  }));
});
