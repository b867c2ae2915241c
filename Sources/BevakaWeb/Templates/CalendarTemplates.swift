/// The calendar page's template ("Kalenderlänkar", `/kalender`), registered with the others
/// in ``PageTemplates/library()``: the address just made or renewed (shown this once, with
/// the warning that it is as personal as a password), how to subscribe in Outlook, the
/// active feeds with a form to renew or revoke each, and a form per feed one may make.
enum CalendarTemplates {
    static let calendar = """
        {{<layout}}
        {{$title}}{{heading}}{{/title}}
        {{$content}}
        {{<problems}}{{$unchanged}}Inget har ändrats.{{/unchanged}}{{/problems}}
        {{#notice}}<div class="notice" role="status"><p>{{notice}}</p></div>{{/notice}}
        {{#made}}
        <div class="notice" role="status" aria-labelledby="ny-lank-rubrik">
        <h2 id="ny-lank-rubrik">{{title}}: {{name}}</h2>
        <p><strong>Kopiera länken nu.</strong> Den visas bara den här gången: Bevaka sparar den inte och kan inte visa den igen. Tappar du bort den kan du förnya den och få en ny.</p>
        {{#renewed}}<p>Den gamla länken slutade fungera när du förnyade. Byt till den nya länken i Outlook.</p>{{/renewed}}
        <label for="kalenderlank">Kalenderlänk att prenumerera på</label>
        <textarea id="kalenderlank" readonly aria-describedby="lank-varning">{{url}}</textarea>
        <p id="lank-varning"><strong>Länken är personlig, som ett lösenord.</strong> Den som har länken kan se kalendern utan att logga in. Dela den inte, skicka den inte med e-post och lägg den inte i ett delat dokument. Tror du att någon annan har fått den: <a href="#lank-{{id}}">förnya eller återkalla den</a>.</p>
        </div>
        {{/made}}
        <h1>{{heading}}</h1>
        <p>Med en kalenderlänk ser du frister, uppgifter att bocka av och bokade möten från Bevaka i din kalender, till exempel i Outlook. Kalendern visar bara processens rubriker och ärendets diarienummer, aldrig personuppgifter. Den uppdateras när ärendena ändras; själva ärendet öppnar du i Bevaka.</p>

        <h2>Så prenumererar du i Outlook</h2>
        <ol>
        <li>Skapa en kalenderlänk här nedan och kopiera den.</li>
        <li>Öppna kalendern i Outlook och välj <strong>Lägg till kalender</strong> &gt; <strong>Prenumerera från webben</strong>.</li>
        <li>Klistra in länken, ge kalendern ett namn, till exempel Bevaka, och välj <strong>Importera</strong>.</li>
        </ol>
        <p class="meta">Outlook hämtar kalendern på nytt några gånger om dygnet, så en ändring kan dröja några timmar innan den syns. I andra kalenderprogram heter det ofta ”prenumerera på kalender” eller ”lägg till kalender från webbadress”.</p>

        <h2>Dina kalenderlänkar</h2>
        {{#hasFeeds}}
        <p>Förnya ger en ny adress, och den gamla slutar fungera med en gång; kalenderns innehåll är detsamma. Återkalla stänger länken för gott.</p>
        <table>
        <caption class="meta">Aktiva kalenderlänkar, den nyaste först. Adresserna visas inte igen.</caption>
        <thead><tr><th scope="col">Kalender</th><th scope="col">Skapad</th><th scope="col">Förnya eller återkalla</th></tr></thead>
        <tbody>
        {{#feeds}}
        <tr id="lank-{{id}}">
        <th scope="row">{{name}}</th>
        <td>{{created}}{{#renewed}}<br><span class="meta">Förnyad {{renewed}}</span>{{/renewed}}</td>
        <td><form method="post" action="/kalender/{{id}}/fornya"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit">Förnya länken</button></form>
        <form method="post" action="/kalender/{{id}}/aterkalla"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit">Återkalla länken</button></form></td>
        </tr>
        {{/feeds}}
        </tbody>
        </table>
        {{/hasFeeds}}
        {{^hasFeeds}}<p>Du har inga aktiva kalenderlänkar.</p>{{/hasFeeds}}
        {{#revokedCount}}<p class="meta">{{revokedCount}}</p>{{/revokedCount}}

        <h2>Skapa en kalenderlänk</h2>
        <p>Din egen kalender har ärendena du äger eller är namngiven i. En rolls kalender har det som faller på rollen i alla ärenden där processen har rollen.</p>
        {{#choices}}
        <form method="post" action="/kalender">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        {{#role}}<input type="hidden" name="roll" value="{{role}}">{{/role}}
        <button type="submit">{{label}}</button>
        </form>
        {{/choices}}
        {{/content}}
        {{/layout}}
        """
}
