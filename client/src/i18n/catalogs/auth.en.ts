import type { Widen } from "../types.ts";
import type { authNb } from "./auth.nb.ts";

/** English texts of auth: typed from bokmål, so a missing or extra key is a compile error. */
export const authEn: Widen<typeof authNb> = {
  login: {
    title: "Log in",
    intro: "Log in with the email address and password you got from the municipality.",
    email: "Email",
    password: "Password",
    submit: "Log in",
    loggedOut: "You are logged out.",
    sessionEnded: "You have been logged out. Log in again to continue.",
    emailRequired: "Enter your email address.",
    emailInvalid: "Enter a valid email address, for example name@kommune.no.",
    passwordRequired: "Enter your password.",
  },
  password: {
    title: "Change password",
    forcedIntro: "You must choose a new password before you can continue.",
    intro: "Choose a new password. You will be logged out on all other devices.",
    current: "Current password",
    new: "New password",
    repeat: "Repeat new password",
    newHint: "At least {min} characters. Several words in a row make a password that is easy to remember and hard to guess.",
    submit: "Save new password",
    currentRequired: "Enter the password you use now.",
    tooShort: "The new password must have at least {min} characters.",
    tooLong: "The new password can have at most {max} characters.",
    repeatRequired: "Enter the new password once more.",
    mismatch: "The passwords are not the same. Enter the same new password both times.",
    changed: "Your password has been changed.",
  },
};
