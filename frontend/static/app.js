// The placeholder page's one script: the tenant's name and languages.
fetch('/api/v2/system_settings').then(r => r.json()).then(s => {
  document.getElementById('name').textContent = s.data.name;
  document.getElementById('locales').textContent = 'Languages: ' + s.data.locales.join(', ');
  document.title = s.data.name + ' · CPIMS+';
}).catch(() => {});
