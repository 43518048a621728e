countries = {
  ke = { name = "Kenya", locales = ["en", "sw"] }
}
