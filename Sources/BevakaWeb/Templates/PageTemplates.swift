import Crypto
import Foundation
import Mustache

/// The pages' Mustache templates, kept in the binary (a daemon installed by copying
/// one file has its pages). Plain, form-based pages after the GOV.UK Design System:
/// one column, labels above inputs, errors beside the field they concern and in a
/// summary at the top, no JavaScript.
enum PageTemplates {
    static let style = """
        *{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;font-size:1.1875rem;\
        line-height:1.4;color:#0b0c0c;background:#fff}a{color:#1d70b8}a:visited{color:#4c2c92}a:focus,button:focus,input:focus,\
        select:focus,textarea:focus{outline:3px solid #ffdd00;outline-offset:0;box-shadow:inset 0 0 0 2px #0b0c0c}\
        .skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem;background:#ffdd00;padding:.5rem}\
        header{background:#0b0c0c;color:#fff;padding:.75rem 1rem}header a{color:#fff;margin-right:1.25rem}\
        header a:visited{color:#fff}main{max-width:60rem;margin:0 auto;padding:1rem}h1{font-size:2rem;margin:.5rem 0 1rem}\
        h2{font-size:1.5rem;margin:2rem 0 .75rem}h3{font-size:1.1875rem;margin:1.25rem 0 .5rem}\
        table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}th,td{text-align:left;padding:.5rem .5rem .5rem 0;\
        border-bottom:1px solid #b1b4b6;vertical-align:top}.tag{display:inline-block;padding:.1rem .4rem;font-weight:700}\
        .late{background:#f4cdc6;color:#2a0b06}.soon{background:#fff7bf;color:#3d2f00}.done{background:#cce2d8;color:#005a30}\
        label,legend{display:block;font-weight:700;margin:.75rem 0 .25rem}.hint{color:#484949;margin:0 0 .25rem}\
        input[type=text],input[type=date],input[type=datetime-local],select,textarea{font:inherit;padding:.3rem;\
        border:2px solid #0b0c0c;width:100%;max-width:30rem}textarea{min-height:5rem}.radio{font-weight:400;display:inline-block;\
        margin-right:1.5rem}.error-message{color:#d4351c;font-weight:700;margin:0 0 .25rem}.field-error{border-left:5px solid #d4351c;\
        padding-left:.75rem}.field-error input,.field-error select,.field-error textarea{border-color:#d4351c}\
        .error-summary{border:5px solid #d4351c;padding:1rem;margin-bottom:1.5rem}.error-summary a{color:#d4351c;font-weight:700}\
        .notice{border:5px solid #00703c;padding:1rem;margin-bottom:1.5rem}button{font:inherit;background:#00703c;color:#fff;\
        border:0;box-shadow:0 2px 0 #002d18;padding:.5rem 1rem;margin:.75rem 0;cursor:pointer}details{margin:.5rem 0 1rem;\
        border-left:4px solid #b1b4b6;padding-left:1rem}summary{color:#1d70b8;cursor:pointer;font-weight:700}\
        .meta{color:#484949}.picture{overflow-x:auto;border:1px solid #b1b4b6;padding:.5rem}.picture svg{width:100%;min-width:75rem;height:auto}button.secondary{background:#f3f2f1;color:#0b0c0c;\
        box-shadow:0 2px 0 #929191;margin-right:1rem}.vh{position:absolute;width:1px;height:1px;overflow:hidden;\
        clip:rect(0 0 0 0);white-space:nowrap}td.n{text-align:right;font-variant-numeric:tabular-nums}\
        .report caption{text-align:left;font-weight:700;padding:.3rem 0}.filters{display:flex;flex-wrap:wrap;gap:0 1rem;align-items:flex-end}\
        .filters .filter{flex:1 1 12rem}.filters p{flex-basis:100%;margin:0 0 1rem}textarea.csv{max-width:100%;font-family:monospace;font-size:1rem}\
        @media print{header,form,details,.skip{display:none}main{max-width:none;padding:0}h2{break-after:avoid}\
        tr{break-inside:avoid}}
        """
    /// The Content-Security-Policy of every page: nothing but this page's own style.
    static let contentSecurityPolicy = "default-src 'none'; style-src 'sha256-"
        + Data(SHA256.hash(data: Data(style.utf8))).base64EncodedString() + "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    static let layout = """
        <!DOCTYPE html>
        <html lang="sv">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{$title}}Bevaka{{/title}} – Bevaka</title>
        <style>{{{style}}}</style>
        </head>
        <body>
        <a class="skip" href="#innehall">Hoppa till innehållet</a>
        <header>
        <nav aria-label="Huvudmeny"><a href="/">Mina ärenden</a><a href="/uppgifter">Mina uppgifter</a><a href="/?vy=alla">Alla ärenden jag ser</a><a href="/register">Vårdgivare</a><a href="/trafikljus">Trafikljus</a><a href="/rapporter">Rapporter</a><a href="/kalender">Kalender</a><span>{{user}}</span></nav>
        </header>
        <main id="innehall">
        {{$content}}{{/content}}
        </main>
        </body>
        </html>

        """

    static let caseList = """
        {{<layout}}
        {{$title}}{{heading}}{{/title}}
        {{$content}}
        <h1>{{heading}}</h1>
        <form method="get" action="/" class="filters">
        <input type="hidden" name="vy" value="{{view}}">
        <div class="filter"><label for="process">Process</label>
        <select id="process" name="process">
        <option value="">Alla</option>
        {{#workflows}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{title}}</option>
        {{/workflows}}
        </select></div>
        {{#states}}{{#first()}}<div class="filter"><label for="lage">Läge</label>
        <select id="lage" name="lage">
        <option value="">Alla</option>
        {{/first()}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{title}}</option>
        {{#last()}}</select></div>{{/last()}}{{/states}}
        {{#units}}{{#first()}}<div class="filter"><label for="enhet">Enhet</label>
        <select id="enhet" name="enhet">
        <option value="">Alla</option>
        {{/first()}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>
        {{#last()}}</select></div>{{/last()}}{{/units}}
        {{#boards}}{{#first()}}<div class="filter"><label for="namnd">Nämnd</label>
        <select id="namnd" name="namnd">
        <option value="">Alla</option>
        {{/first()}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{name}}</option>
        {{#last()}}</select></div>{{/last()}}{{/boards}}
        <button type="submit">Visa</button>
        {{^states}}<p class="meta">Välj en process och Visa för att också kunna välja läge.</p>{{/states}}
        </form>
        {{#hasCases}}
        <table>
        <caption class="meta">Ordnade efter vad som förfaller först; försenat överst.</caption>
        <thead><tr><th scope="col">Ärende</th><th scope="col">Läge</th><th scope="col">Förfaller</th><th scope="col">Enhet</th></tr></thead>
        <tbody>
        {{/hasCases}}
        {{#cases}}
        <tr>
        <td><a href="/arenden/{{id}}">{{reference}}</a><br><span class="meta">{{workflowTitle}}</span></td>
        <td>{{stateTitle}}</td>
        <td>{{#due}}{{title}}<br>{{when}}<br><span class="tag {{#overdue}}late{{/overdue}}{{^overdue}}soon{{/overdue}}">{{countdown}}</span>{{/due}}{{^due}}Inget förfaller{{/due}}</td>
        <td>{{unit}}{{#provider}}<br><span class="meta">{{provider}}</span>{{/provider}}</td>
        </tr>
        {{/cases}}
        {{#hasCases}}
        </tbody>
        </table>
        {{/hasCases}}
        {{^cases}}<p>Inga ärenden att visa.</p>{{/cases}}
        {{#next}}<p><a href="/?{{next}}">Fler ärenden</a></p>{{/next}}
        {{/content}}
        {{/layout}}
        """

    static let casePage = """
        {{<layout}}
        {{$title}}Ärende {{reference}}{{/title}}
        {{$content}}
        {{<problems}}{{$unchanged}}Inget har ändrats i ärendet.{{/unchanged}}{{/problems}}
        {{#notice}}<div class="notice" role="status"><p>{{notice}}</p></div>{{/notice}}
        <p class="meta">{{workflowTitle}}</p>
        <h1>Ärende {{reference}}</h1>
        <p><strong>Läge:</strong> {{stateTitle}}. {{stateDescription}}</p>
        {{#unit}}<p><strong>Enhet:</strong> {{unit}}{{#provider}} ({{provider}}){{/provider}}</p>{{/unit}}
        <p><strong>Handläggare:</strong> {{owner}}</p>

        <h2>Frister</h2>
        {{#hasDeadlines}}<table><thead><tr><th scope="col">Frist</th><th scope="col">Senast</th><th scope="col">Kvar</th></tr></thead><tbody>{{/hasDeadlines}}
        {{#deadlines}}<tr><td>{{title}}</td><td>{{when}}</td><td><span class="tag {{#overdue}}late{{/overdue}}{{^overdue}}soon{{/overdue}}">{{countdown}}</span></td></tr>
        {{/deadlines}}
        {{#hasDeadlines}}</tbody></table>{{/hasDeadlines}}
        {{^deadlines}}<p>Inga frister löper.</p>{{/deadlines}}

        <h2>Det här kan du göra nu</h2>
        {{^forms}}<p>Inget i det här läget som dina roller får göra.</p>{{/forms}}
        {{#forms}}
        <details{{#open}} open{{/open}}>
        <summary>{{title}}</summary>
        <form method="post" action="/arenden/{{caseId}}/handelse" novalidate>
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <input type="hidden" name="handelse" value="{{event}}">
        {{#oneRole}}<input type="hidden" name="roll" value="{{role}}">{{/oneRole}}
        {{^oneRole}}<label for="{{event}}-roll">Roll du gör det i</label>
        <select id="{{event}}-roll" name="roll">{{#roles}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{title}}</option>{{/roles}}</select>{{/oneRole}}
        {{#fields}}
        <div class="{{#error}}field-error{{/error}}">
        {{#fieldset}}<fieldset{{#error}} aria-describedby="{{id}}-fel"{{/error}}><legend>{{label}}{{#required}} (obligatoriskt){{/required}}</legend>
        {{#error}}<p class="error-message" id="{{id}}-fel">Fel: {{error}}</p>{{/error}}
        {{#choices}}<label class="radio"><input type="radio" name="{{name}}" value="{{value}}"{{#selected}} checked{{/selected}}> {{title}}</label>{{/choices}}
        </fieldset>{{/fieldset}}
        {{^fieldset}}
        <label for="{{id}}">{{label}}{{#required}} (obligatoriskt){{/required}}</label>
        {{#hint}}<p class="hint" id="{{id}}-tips">{{hint}}</p>{{/hint}}
        {{#error}}<p class="error-message" id="{{id}}-fel">Fel: {{error}}</p>{{/error}}
        {{#textarea}}<textarea id="{{id}}" name="{{name}}"{{#error}} aria-invalid="true" aria-describedby="{{id}}-fel"{{/error}}>{{value}}</textarea>{{/textarea}}
        {{^textarea}}<input type="{{type}}" id="{{id}}" name="{{name}}" value="{{value}}"{{#inputmode}} inputmode="{{inputmode}}"{{/inputmode}}{{#error}} aria-invalid="true" aria-describedby="{{id}}-fel"{{/error}}>{{/textarea}}
        {{/fieldset}}
        </div>
        {{/fields}}
        <button type="submit">{{title}}</button>
        </form>
        </details>
        {{/forms}}

        {{#checklists}}
        <h2>{{title}}</h2>
        <table><thead><tr><th scope="col">Punkt</th><th scope="col">Senast</th><th scope="col">Status</th></tr></thead><tbody>
        {{#items}}<tr id="{{anchor}}"><td>{{title}}</td><td>{{when}}</td><td>
        {{#done}}<span class="tag done">Klar</span> {{tickedBy}}, {{tickedAt}}{{#note}}<br>{{note}}{{/note}}{{/done}}
        {{^done}}{{#countdown}}<span class="tag {{#overdue}}late{{/overdue}}{{^overdue}}soon{{/overdue}}">{{countdown}}</span>{{/countdown}}
        {{#mayTick}}<form method="post" action="/arenden/{{caseId}}/bocka">
        <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="checklista" value="{{name}}">
        <input type="hidden" name="punkt" value="{{id}}"><input type="hidden" name="roll" value="{{role}}">
        <label for="not-{{anchor}}">Notering (frivillig)</label><input type="text" id="not-{{anchor}}" name="notering">
        <button type="submit">Bocka av</button></form>{{/mayTick}}{{/done}}
        </td></tr>
        {{/items}}
        </tbody></table>
        {{/checklists}}

        {{#hasPeople}}<h2>Ärendets personer</h2><ul>{{/hasPeople}}
        {{#people}}<li>{{role}}: {{#people}}{{name}} &lt;{{email}}&gt; {{/people}}</li>{{/people}}
        {{#hasPeople}}</ul>{{/hasPeople}}

        <h2>Uppgifter i ärendet</h2>
        <table><tbody>{{#fields}}<tr><th scope="row">{{title}}</th><td>{{value}}</td></tr>{{/fields}}</tbody></table>

        {{#hasLedger}}<h2>Sanktion per månad</h2><table><thead><tr><th scope="col">Månad</th><th scope="col">Belopp</th></tr></thead><tbody>{{/hasLedger}}
        {{#ledger}}<tr><td>{{month}}</td><td>{{amount}}</td></tr>{{/ledger}}
        {{#hasLedger}}</tbody></table>{{/hasLedger}}

        <h2 id="bild-rubrik">Processen som bild, med ärendets läge ({{stateTitle}}) markerat</h2>
        {{#picture}}<div class="picture" tabindex="0" role="region" aria-labelledby="bild-rubrik">{{{picture}}}</div>{{/picture}}
        {{^picture}}<p>Bilden kan inte ritas här (Graphviz saknas på servern).</p>{{/picture}}

        <h2>Historik</h2>
        <ol reversed>
        {{#history}}<li><strong>{{title}}</strong> – {{state}}<br><span class="meta">Registrerat {{at}} av {{actor}}{{#effective}}; gällde från {{effective}}{{/effective}}</span>{{#reason}}<br>Skäl: {{reason}}{{/reason}}</li>
        {{/history}}
        </ol>
        {{/content}}
        {{/layout}}
        """

    static let tasks = """
        {{<layout}}
        {{$title}}{{heading}}{{/title}}
        {{$content}}
        <h1>{{heading}}</h1>
        <p class="meta">Punkter och frister som faller på dina roller ({{roles}}), det som förfaller först överst.</p>
        {{#hasTasks}}
        <table>
        <thead><tr><th scope="col">Uppgift</th><th scope="col">Ärende</th><th scope="col">Senast</th><th scope="col">Åtgärd</th></tr></thead>
        <tbody>
        {{#tasks}}
        <tr id="{{rowId}}">
        <td>{{title}}{{#listTitle}}<br><span class="meta">{{listTitle}}</span>{{/listTitle}}</td>
        <td><a href="/arenden/{{caseId}}">{{reference}}</a>{{#unit}}<br><span class="meta">{{unit}}</span>{{/unit}}</td>
        <td>{{when}}<br><span class="tag {{#overdue}}late{{/overdue}}{{^overdue}}soon{{/overdue}}">{{countdown}}</span></td>
        <td>{{#item}}<form method="post" action="/arenden/{{caseId}}/bocka">
        <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="checklista" value="{{checklist}}">
        <input type="hidden" name="punkt" value="{{item}}"><input type="hidden" name="roll" value="{{role}}">
        <input type="hidden" name="tillbaka" value="uppgifter">
        <label for="not-{{rowId}}">Notering (frivillig)</label><input type="text" id="not-{{rowId}}" name="notering">
        <button type="submit">Bocka av</button></form>{{/item}}{{#deadline}}<a href="/arenden/{{caseId}}">Till ärendet</a>{{/deadline}}</td>
        </tr>
        {{/tasks}}
        </tbody>
        </table>
        {{#next}}<p><a href="/uppgifter?efter={{next}}">Fler uppgifter</a></p>{{/next}}
        {{/hasTasks}}
        {{#later}}<p><a href="/uppgifter">Till de första uppgifterna</a></p>{{/later}}
        {{^hasTasks}}<p>Inget faller på dina roller just nu.</p>{{/hasTasks}}
        {{/content}}
        {{/layout}}
        """

    static let trafficLight = """
        {{<layout}}
        {{$title}}{{heading}}{{/title}}
        {{$content}}
        {{<problems}}{{$unchanged}}Ingen bedömning har sparats.{{/unchanged}}{{/problems}}
        <h1>{{heading}}</h1>
        <p>Teamets bedömning av varje vårdgivare (röd, gul, grön). Den är intern för teamet och ska inte spridas. Röda först.</p>
        {{#hasRows}}
        <table><thead><tr><th scope="col">Vårdgivare</th><th scope="col">Bedömning</th><th scope="col">Ny bedömning</th></tr></thead><tbody>
        {{#rows}}
        <tr><td>{{name}}{{#group}}<br><span class="meta">{{group}}</span>{{/group}}{{#look}}<br><strong>{{look}}</strong>{{/look}}</td>
        <td><span class="tag {{#rod}}late{{/rod}}{{^rod}}soon{{/rod}}">{{colour}}</span>{{#assessed}}<br>{{assessed}}{{/assessed}}{{#comment}}<br>{{comment}}{{/comment}}</td>
        <td><form method="post" action="/trafikljus">
        <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="vardgivare" value="{{id}}">
        <fieldset><legend>Färg för {{name}}</legend>
        <label class="radio"><input type="radio" name="farg" value="rod"> Röd</label>
        <label class="radio"><input type="radio" name="farg" value="gul"> Gul</label>
        <label class="radio"><input type="radio" name="farg" value="gron"> Grön</label>
        </fieldset>
        <label for="datum-{{id}}">Datum</label><input type="date" id="datum-{{id}}" name="datum" value="{{today}}">
        <label for="kommentar-{{id}}">Kommentar (varför)</label><textarea id="kommentar-{{id}}" name="kommentar"></textarea>
        <button type="submit">Spara bedömningen</button>
        </form></td></tr>
        {{/rows}}
        </tbody></table>
        {{/hasRows}}
        {{^hasRows}}<p>Inga vårdgivare i registret.</p>{{/hasRows}}
        {{/content}}
        {{/layout}}
        """

    static let reports = """
        {{<layout}}
        {{$title}}{{heading}}{{/title}}
        {{$content}}
        <h1>{{heading}}</h1>
        <h2>Återrapportering till nämnderna</h2>
        <form method="get" action="/reports/boards">
        <label for="fran">Från och med</label><input type="date" id="fran" name="from" value="{{from}}">
        <label for="till">Till och med</label><input type="date" id="till" name="to" value="{{to}}">
        <label for="namnd">Nämnd</label>
        <select id="namnd" name="board"><option value="">Alla</option>{{#boards}}<option value="{{code}}">{{code}} – {{name}}</option>{{/boards}}</select>
        <label for="omrade">Avtalsområde</label>
        <select id="omrade" name="area"><option value="">Alla</option>{{#areas}}<option>{{name}}</option>{{/areas}}</select>
        <fieldset><legend>Form</legend>
        <label class="radio"><input type="radio" name="format" value="html" checked> Utskriftsvänlig sida</label>
        <label class="radio"><input type="radio" name="format" value="csv"> CSV</label>
        </fieldset>
        <button type="submit">Visa rapporten</button>
        </form>
        <h2>Avdrag per enhet och månad (ekonomi)</h2>
        <form method="get" action="/reports/deductions">
        <label for="manad-fran">Från månad (ÅÅÅÅ-MM)</label><input type="text" id="manad-fran" name="from" value="{{month}}">
        <label for="manad-till">Till månad (ÅÅÅÅ-MM)</label><input type="text" id="manad-till" name="to" value="{{month}}">
        <input type="hidden" name="format" value="csv">
        <button type="submit">Hämta CSV</button>
        </form>
        <h2>Vårdförmedling</h2>
        <p><a href="/reports/care-referral?format=html">Statistik för i år</a></p>
        {{/content}}
        {{/layout}}
        """

    static let message = """
        {{<layout}}
        {{$title}}{{heading}}{{/title}}
        {{$content}}
        <h1>{{heading}}</h1>
        <p>{{text}}</p>
        <p><a href="/">Till Mina ärenden</a></p>
        {{/content}}
        {{/layout}}
        """

    /// The error summary at the top of a page whose form was refused: each problem (a link to
    /// its field where it has one), and what was not changed (the page's `unchanged` block).
    static let problems = """
        {{#hasErrors}}
        <div class="error-summary" role="alert" aria-labelledby="fel-rubrik" tabindex="-1">
        <h2 id="fel-rubrik">Det finns problem</h2>
        <ul>{{#errorSummary}}<li>{{#href}}<a href="{{href}}">{{text}}</a>{{/href}}{{^href}}{{text}}{{/href}}</li>{{/errorSummary}}</ul>
        <p>{{$unchanged}}Inget har ändrats.{{/unchanged}}</p>
        </div>
        {{/hasErrors}}
        """

    static func library() throws -> MustacheLibrary {
        MustacheLibrary(templates: [
            "layout": try MustacheTemplate(string: layout),
            "problems": try MustacheTemplate(string: problems),
            "caseList": try MustacheTemplate(string: caseList),
            "case": try MustacheTemplate(string: casePage),
            "message": try MustacheTemplate(string: message),
            "tasks": try MustacheTemplate(string: tasks),
            "register": try MustacheTemplate(string: RegisterTemplates.register),
            "report": try MustacheTemplate(string: ReportTemplates.report),
            "reports": try MustacheTemplate(string: reports),
            "trafficLight": try MustacheTemplate(string: trafficLight),
            "calendar": try MustacheTemplate(string: CalendarTemplates.calendar),
        ])
    }
}
