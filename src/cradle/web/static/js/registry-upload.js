// The feed upload form (/registry/uploads): sent with XMLHttpRequest so the page can show the upload's progress,
// then the server's answer (the upload's page, which refreshes until the file is ingested and then shows the
// run's summary; or the form with its refusal) replaces the page. Without JavaScript the form posts as usual.
(function () {
  const form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest) return;
  const box = document.getElementById("upload-progress");
  const bar = box.querySelector("progress");
  const text = document.getElementById("upload-progress-text");
  form.addEventListener("submit", function (event) {
    if (!form.checkValidity()) return;
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    box.hidden = false;
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      const percent = Math.round((100 * e.loaded) / e.total);
      bar.value = percent;
      text.textContent = text.dataset.sending + " " + percent + "%";
    });
    xhr.upload.addEventListener("load", function () {
      bar.removeAttribute("value"); // indeterminate while the server stores the rows
      text.textContent = text.dataset.checking;
    });
    xhr.addEventListener("load", function () {
      if (xhr.responseURL && xhr.responseURL !== form.action && xhr.status < 400) {
        window.location.assign(xhr.responseURL);
        return;
      }
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", function () {
      button.disabled = false;
      form.submit();
    });
    xhr.send(new FormData(form));
  });
})();
