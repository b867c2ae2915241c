import BevakaCore

let officer = Actor(name: "anna", role: "handlaggare")
let decider = Actor(name: "bo", role: "beslutsfattare")
