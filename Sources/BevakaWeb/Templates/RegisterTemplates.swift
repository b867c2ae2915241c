/// The register's page: providers with their units and contracts for anyone signed in;
/// for the people who keep it, a CSV import (previewed first, then all or nothing) and
/// small forms for a unit's listed patients and a provider's name and group, each
/// refusal beside its field with nothing saved.
enum RegisterTemplates {
    static let register = """
        {{<layout}}
        {{$title}}{{heading}}{{/title}}
        {{$content}}
        {{<problems}}{{$unchanged}}Inget har sparats i registret.{{/unchanged}}{{/problems}}
        {{#notice}}<div class="notice" role="status"><p>{{notice}}</p></div>{{/notice}}
        <h1>{{heading}}</h1>
        {{#mayKeep}}
        {{#preview}}
        <h2 id="granskning">Förhandsgranskning</h2>
        <div class="notice" role="status"><p>{{summary}} Inget har sparats ännu: välj Importera för att spara.</p></div>
        {{#hasRows}}
        <table><caption class="meta">Det som skulle skapas eller ändras</caption>
        <thead><tr><th scope="col">Rad</th><th scope="col">Slag</th><th scope="col">Nyckel</th><th scope="col">Namn</th><th scope="col">Ändring</th></tr></thead><tbody>
        {{#rows}}<tr><td>{{line}}</td><td>{{kind}}</td><td>{{key}}</td><td>{{label}}</td><td>{{change}}</td></tr>
        {{/rows}}
        </tbody></table>
        {{/hasRows}}
        {{/preview}}
        <h2 id="import">Importera från CSV</h2>
        <p>En fil med en rubrikrad och en rad per nämnd, vårdgivare, enhet eller avtal, som <code>bevaka register import</code> läser. \
        Förhandsgranska visar vad som skulle ändras, eller varje problem med sin rad; Importera sparar allt eller, vid minsta problem, ingenting.</p>
        <form method="post" action="/register#import" enctype="multipart/form-data" novalidate>
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <input type="hidden" name="roll" value="{{role}}">
        <div class="{{#fileError}}field-error{{/fileError}}">
        <label for="csv-fil">CSV-fil</label>
        <p class="hint" id="csv-fil-tips">UTF-8, högst 5 MiB, kolumnerna {{columns}}.</p>
        {{#fileError}}<p class="error-message" id="csv-fil-fel">Fel: {{fileError}}</p>{{/fileError}}
        <input type="file" id="csv-fil" name="fil" accept=".csv,text/csv" aria-describedby="csv-fil-tips{{#fileError}} csv-fil-fel{{/fileError}}"{{#fileError}} aria-invalid="true"{{/fileError}}>
        </div>
        <div class="{{#textError}}field-error{{/textError}}">
        <label for="csv-text">Eller CSV-texten</label>
        <p class="hint" id="csv-text-tips">Används när ingen fil är vald. Efter en förhandsgranskning står den granskade texten här, så att Importera sparar just den.</p>
        {{#textError}}<p class="error-message" id="csv-text-fel">Fel: {{textError}}</p>{{/textError}}
        <textarea id="csv-text" name="text" class="csv" rows="8" wrap="off" spellcheck="false" aria-describedby="csv-text-tips{{#textError}} csv-text-fel{{/textError}}"{{#textError}} aria-invalid="true"{{/textError}}>{{csvText}}</textarea>
        </div>
        <button type="submit" name="atgard" value="forhandsgranska" class="secondary">Förhandsgranska</button>
        <button type="submit" name="atgard" value="importera">Importera</button>
        </form>
        {{/mayKeep}}
        {{^hasProviders}}<p>Registret är tomt. Det fylls med <code>bevaka register import</code>{{#mayKeep}} eller med importen ovan{{/mayKeep}}.</p>{{/hasProviders}}
        {{#providers}}
        <h2 id="{{anchor}}">{{name}}</h2>
        <p class="meta">Organisationsnummer {{id}}{{#group}}, koncernen {{group}}{{/group}}</p>
        {{#mayKeep}}
        <details{{#editOpen}} open{{/editOpen}}>
        <summary>Ändra namn eller koncern<span class="vh"> för {{name}}</span></summary>
        <form method="post" action="/register#{{anchor}}" novalidate>
        <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="roll" value="{{role}}">
        <input type="hidden" name="atgard" value="vardgivare"><input type="hidden" name="vardgivare" value="{{id}}">
        <div class="{{#editNameError}}field-error{{/editNameError}}">
        <label for="{{anchor}}-namn">Namn</label>
        {{#editNameError}}<p class="error-message" id="{{anchor}}-namn-fel">Fel: {{editNameError}}</p>{{/editNameError}}
        <input type="text" id="{{anchor}}-namn" name="namn" value="{{editName}}"{{#editNameError}} aria-invalid="true" aria-describedby="{{anchor}}-namn-fel"{{/editNameError}}>
        </div>
        <div class="{{#editGroupError}}field-error{{/editGroupError}}">
        <label for="{{anchor}}-koncern">Koncern (tomt: ingen)</label>
        {{#editGroupError}}<p class="error-message" id="{{anchor}}-koncern-fel">Fel: {{editGroupError}}</p>{{/editGroupError}}
        <input type="text" id="{{anchor}}-koncern" name="koncern" value="{{editGroup}}"{{#editGroupError}} aria-invalid="true" aria-describedby="{{anchor}}-koncern-fel"{{/editGroupError}}>
        </div>
        <button type="submit">Spara vårdgivaren</button>
        </form>
        </details>
        {{/mayKeep}}
        <table><caption class="meta">Enheter och avtal för {{name}}</caption>
        <thead><tr><th scope="col">Enhet eller avtal</th><th scope="col">Uppgifter</th></tr></thead><tbody>
        {{#units}}<tr id="{{anchor}}"><td>{{name}}<br><span class="meta">HSA-id {{hsaId}}</span></td><td>{{#listed}}{{listed}} listade{{/listed}}
        {{#mayKeep}}<details{{#countOpen}} open{{/countOpen}}>
        <summary>Ändra antal listade<span class="vh"> för {{name}}</span></summary>
        {{#countsText}}<p class="hint">Hittills: {{countsText}}.</p>{{/countsText}}
        <form method="post" action="/register#{{anchor}}" novalidate>
        <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="roll" value="{{role}}">
        <input type="hidden" name="atgard" value="antal"><input type="hidden" name="enhet" value="{{hsaId}}">
        <div class="{{#countDateError}}field-error{{/countDateError}}">
        <label for="{{anchor}}-datum">Gäller från</label>
        {{#countDateError}}<p class="error-message" id="{{anchor}}-datum-fel">Fel: {{countDateError}}</p>{{/countDateError}}
        <input type="date" id="{{anchor}}-datum" name="datum" value="{{countDate}}"{{#countDateError}} aria-invalid="true" aria-describedby="{{anchor}}-datum-fel"{{/countDateError}}>
        </div>
        <div class="{{#countValueError}}field-error{{/countValueError}}">
        <label for="{{anchor}}-antal">Antal listade patienter</label>
        {{#countValueError}}<p class="error-message" id="{{anchor}}-antal-fel">Fel: {{countValueError}}</p>{{/countValueError}}
        <input type="text" inputmode="numeric" id="{{anchor}}-antal" name="antal" value="{{countValue}}"{{#countValueError}} aria-invalid="true" aria-describedby="{{anchor}}-antal-fel"{{/countValueError}}>
        </div>
        <button type="submit">Spara antalet</button>
        </form>
        </details>{{/mayKeep}}</td></tr>
        {{/units}}
        {{#contracts}}<tr><td>Avtal {{id}}<br><span class="meta">{{area}}, {{board}}</span></td><td>{{period}}{{#team}}<br>{{team}}{{/team}}</td></tr>{{/contracts}}
        </tbody></table>
        {{/providers}}
        {{/content}}
        {{/layout}}
        """
}
