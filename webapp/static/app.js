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
    const data = new FormData(form);
    if (form.pageFiles) { data.delete("file"); form.pageFiles.forEach((f) => data.append("file", f, f.name)); }
    xhr.send(data);
  });
}

// Several photos or PDFs as the pages of one report: thumbnails in the chosen order, moved with ↑ / ↓.
// Without JavaScript the files go in the order they were selected.
function pageOrder(form) {
  const input = form.querySelector("input[type=file][multiple]");
  const list = form.querySelector("[data-page-list]");
  if (!input || !list) return;
  const render = () => {
    list.replaceChildren();
    list.hidden = form.pageFiles.length < 2;
    form.pageFiles.forEach((f, i) => {
      const li = document.createElement("li");
      const thumb = /^image\/(jpeg|png)$/.test(f.type) ? document.createElement("img") : document.createElement("span");
      thumb.className = "page-thumb";
      if (thumb.tagName === "IMG") {           // a data: URL, as the CSP allows (img-src 'self' data:)
        const reader = new FileReader();
        reader.onload = () => { thumb.src = reader.result; };
        reader.readAsDataURL(f); thumb.alt = f.name;
      } else { thumb.textContent = f.name.split(".").pop().toUpperCase(); }
      const label = document.createElement("span");
      label.className = "page-name";
      label.textContent = `Trang ${i + 1}: ${f.name}`;
      li.append(thumb, label);
      [["↑", -1, "Chuyển lên"], ["↓", 1, "Chuyển xuống"]].forEach(([sign, step, title]) => {
        const b = document.createElement("button");
        b.type = "button"; b.className = "btn small"; b.textContent = sign; b.title = title;
        b.setAttribute("aria-label", `${title}: ${f.name}`);
        b.disabled = i + step < 0 || i + step >= form.pageFiles.length;
        b.addEventListener("click", () => {
          const moved = form.pageFiles.splice(i, 1)[0];
          form.pageFiles.splice(i + step, 0, moved);
          render();
        });
        li.append(b);
      });
      list.append(li);
    });
  };
  input.addEventListener("change", () => { form.pageFiles = Array.from(input.files); render(); });
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
  document.querySelectorAll("form[data-upload]").forEach((f) => { pageOrder(f); uploadWithProgress(f); });
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

// Ask before an action that cannot be undone: issuing numbered papers, rejecting.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-confirm]").forEach((form) => form.addEventListener("submit", (ev) => {
    if (!window.confirm(form.dataset.confirm)) ev.preventDefault();
  }));
  document.querySelectorAll("form[data-confirm-approve]").forEach((form) => form.addEventListener("submit", (ev) => {
    const chosen = [...form.querySelectorAll("input[name=dossier_ids]:checked")];
    if (!chosen.length) return;     // the server says “Chọn ít nhất một hồ sơ”
    const awardees = chosen.reduce((sum, c) => sum + Number(c.dataset.awardees || 0), 0);
    const message = awardees
      ? `Cấp số quyết định cho ${chosen.length} hồ sơ? Hệ thống sẽ ban hành 1 quyết định khen thưởng có số và ${awardees} giấy khen; không thể hoàn tác.`
      : `Phê duyệt kết quả ${chosen.length} hồ sơ? Không có ai đủ điều kiện nên không ban hành quyết định, giấy khen.`;
    if (!window.confirm(message)) ev.preventDefault();
  }));
  document.querySelectorAll("[data-all-accepted]").forEach((btn) => btn.addEventListener("click", () => {
    btn.closest("form").querySelectorAll("input[type=radio][value=accepted]").forEach((r) => { r.checked = true; });
  }));
});
